using BetweenSessions.Groups.Grains.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public sealed class TurnTests
{
    [Fact]
    public async Task Concurrent_calls_from_many_threads_share_one_activation_and_never_overlap()
    {
        await using var host = TestRuntime.Create();
        var key = Guid.NewGuid();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        var calls = Enumerable.Range(0, 50).Select(_ => Task.Run(async () =>
        {
            await start.Task;
            return await host.Factory.GetGrain<ICounterGrain>(key).Increment();
        })).ToList();
        start.SetResult();
        var results = await Task.WhenAll(calls).Within();

        Assert.Equal(Enumerable.Range(1, 50), results.Order());
        Assert.Equal(1, host.Probe.Activations(key.ToString()));
        Assert.Equal(0, host.Probe.Overlaps);
        Assert.Equal(50, await host.Factory.GetGrain<ICounterGrain>(key).Get());
        Assert.Equal(1, host.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Calls_from_one_caller_run_in_the_order_they_were_made()
    {
        await using var host = TestRuntime.Create();
        var grain = host.Factory.GetGrain<ISequenceGrain>("fifo");

        var appends = Enumerable.Range(0, 200).Select(grain.Append).ToList();
        await Task.WhenAll(appends).Within();

        Assert.Equal(Enumerable.Range(0, 200), await grain.Read());
        Assert.Equal(0, host.Probe.Overlaps);
    }

    [Fact]
    public async Task Different_keys_run_in_parallel()
    {
        await using var host = TestRuntime.Create();
        var a = host.Factory.GetGrain<IBlockingGrain>("a");
        var b = host.Factory.GetGrain<IBlockingGrain>("b");

        var blockA = a.Block();
        var blockB = b.Block();
        // Both are inside their turns at once; with one queue for both, the second would never enter.
        await host.Probe.WhenSet("entered:a");
        await host.Probe.WhenSet("entered:b");
        Assert.False(blockA.IsCompleted);
        Assert.False(blockB.IsCompleted);

        host.Probe.Set("release:a");
        host.Probe.Set("release:b");
        Assert.Equal(["a", "b"], await Task.WhenAll(blockA, blockB).Within());
    }

    [Fact]
    public async Task A_call_waits_for_the_running_turn_of_its_activation()
    {
        await using var host = TestRuntime.Create();
        var grain = host.Factory.GetGrain<IBlockingGrain>("one");

        var block = grain.Block();
        await host.Probe.WhenSet("entered:one");
        var ping = grain.Ping();
        host.Probe.Set("release:one");
        await Task.WhenAll(block, ping).Within();

        Assert.Equal(["call-start", "call-end", "ping"], host.Probe.Events);
    }

    [Fact]
    public async Task Exceptions_reach_the_caller_and_the_activation_survives()
    {
        await using var host = TestRuntime.Create();
        var key = Guid.NewGuid();
        var grain = host.Factory.GetGrain<ICounterGrain>(key);
        Assert.Equal(1, await grain.Increment());

        var thrown = await Assert.ThrowsAsync<InvalidOperationException>(() => grain.Fail("boom"));
        Assert.Equal("boom", thrown.Message);
        // Thrown before a task existed: still the grain's own exception, not a reflection wrapper.
        await Assert.ThrowsAsync<ArgumentException>(() => grain.FailSynchronously());

        Assert.Equal(2, await grain.Increment());
        Assert.Equal(1, host.Probe.Activations(key.ToString()));
        Assert.Empty(host.Probe.Deactivations);
    }

    [Fact]
    public async Task A_failed_activation_fails_its_waiting_calls_and_the_next_call_activates_afresh()
    {
        await using var host = TestRuntime.Create();
        host.Probe.ActivationsToFail = 1;
        host.Probe.GateActivation = true;
        var grain = host.Factory.GetGrain<IFlakyActivationGrain>("flaky");

        var first = grain.Activations();
        await host.Probe.WhenSet("activating:flaky");
        var queued = new[] { grain.Activations(), grain.Activations() };
        host.Probe.Set("activate-gate:flaky");

        var failure = await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        Assert.Equal("activation 1 failed", failure.Message);
        foreach (var call in queued)
            Assert.Same(failure, await Assert.ThrowsAsync<InvalidOperationException>(() => call));
        Assert.Equal(0, host.Runtime.ActivationCount);

        Assert.Equal(2, await grain.Activations());
        Assert.Equal(1, host.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Calls_arriving_during_deactivation_go_in_order_to_one_new_activation()
    {
        await using var host = TestRuntime.Create();
        var key = Guid.NewGuid();
        var grain = host.Factory.GetGrain<ICounterGrain>(key);
        Assert.Equal(1, await grain.Increment());

        host.Probe.GateDeactivation = true;
        await grain.DeactivateAfterThis();
        await host.Probe.WhenSet($"deactivating:{key}");
        var later = Enumerable.Range(0, 5).Select(_ => grain.Increment()).ToList();
        Assert.True(host.Runtime.IsActive(new GrainId(nameof(CounterGrain), key.ToString())));
        host.Probe.Set($"deactivate-gate:{key}");

        // A fresh activation (the count restarts), in call order, and never alongside the old one.
        Assert.Equal(new[] { 1, 2, 3, 4, 5 }, await Task.WhenAll(later).Within());
        Assert.Equal(2, host.Probe.Activations(key.ToString()));
        Assert.Equal(1, host.Probe.MaxLive);
        Assert.Equal([(key.ToString(), DeactivationReasonCode.ApplicationRequested)], host.Probe.Deactivations);
    }

    [Fact]
    public async Task A_call_that_takes_too_long_times_out_for_the_caller_but_its_turn_completes()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock, configure: o => o.CallTimeout = TimeSpan.FromSeconds(5));
        var grain = host.Factory.GetGrain<IBlockingGrain>("slow");

        var block = grain.Block();
        await host.Probe.WhenSet("entered:slow");
        clock.Advance(TimeSpan.FromSeconds(6));
        var timeout = await Assert.ThrowsAsync<TimeoutException>(() => block).Within();
        Assert.Contains("BlockingGrain/slow.Block", timeout.Message);

        var ping = grain.Ping();
        host.Probe.Set("release:slow");
        Assert.Equal("pong", await ping.Within());
        Assert.Equal(["call-start", "call-end", "ping"], host.Probe.Events);
    }

    [Fact]
    public async Task A_grain_awaiting_a_call_to_itself_is_released_by_the_call_timeout_with_an_explanation()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock, configure: o => o.CallTimeout = TimeSpan.FromSeconds(5));
        var grain = host.Factory.GetGrain<IBlockingGrain>("narcissus");

        var outer = grain.CallSelf();
        await host.Probe.WhenSet("self-called:narcissus");
        clock.Advance(TimeSpan.FromSeconds(6));

        await Assert.ThrowsAsync<TimeoutException>(() => outer).Within();
        Assert.Contains("not reentrant", await host.Probe.WhenSet("self-timeout:narcissus"));
        Assert.Equal("pong", await grain.Ping().Within());
    }

    [Fact]
    public async Task References_know_their_identity_and_key()
    {
        await using var host = TestRuntime.Create();
        var key = Guid.NewGuid();
        var grain = host.Factory.GetGrain<ICounterGrain>(key);

        Assert.Equal(key, await grain.PrimaryKey());
        Assert.Equal(host.Factory.GetGrain<ICounterGrain>(key), grain);
        Assert.NotEqual(host.Factory.GetGrain<ICounterGrain>(Guid.NewGuid()), grain);
        Assert.Equal(new GrainId("CounterGrain", key.ToString()), await grain.Identity());
        Assert.True(host.Runtime.IsActive(new GrainId("CounterGrain", key.ToString())));
        Assert.False(host.Runtime.IsActive(new GrainId("CounterGrain", Guid.NewGuid().ToString())));
    }

    [Fact]
    public async Task GetGrain_rejects_interfaces_with_non_task_methods_and_unregistered_interfaces()
    {
        await using var host = TestRuntime.Create();

        var bad = Assert.Throws<InvalidOperationException>(() => host.Factory.GetGrain<IBadGrain>("x"));
        Assert.Contains("NotATask", bad.Message);
        var unregistered = Assert.Throws<InvalidOperationException>(() => host.Factory.GetGrain<IUnregisteredGrain>("x"));
        Assert.Contains("AddGrain", unregistered.Message);
    }

    public interface IUnregisteredGrain : IGrainWithStringKey
    {
        Task Nothing();
    }
}
