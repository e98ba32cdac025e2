using BetweenSessions.Groups.Grains.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public sealed class MemoryGrainStorageTests
{
    private static readonly GrainId Id = new("StatefulGrain", "k");

    [Fact]
    public async Task Stored_state_is_a_copy_the_grain_cannot_mutate()
    {
        var storage = new MemoryGrainStorage();
        var written = new GrainState<CounterState>(new CounterState { Value = 1, Items = ["x"] });
        await storage.WriteStateAsync("s", Id, written);
        written.State.Items.Add("mutated after write");

        var first = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", Id, first);
        first.State.Items.Add("mutated after read");
        var second = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", Id, second);

        Assert.Equal(["x"], second.State.Items);
        Assert.True(second.RecordExists);
        Assert.Equal(written.ETag, second.ETag);
    }

    [Fact]
    public async Task Reading_nothing_gives_a_new_state_without_etag()
    {
        var state = new GrainState<CounterState>(new CounterState { Value = 9 }, "stale");
        await new MemoryGrainStorage().ReadStateAsync("s", Id, state);

        Assert.Equal(0, state.State.Value);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
    }

    [Fact]
    public async Task Each_write_gets_a_new_etag_and_a_stale_etag_is_rejected()
    {
        var storage = new MemoryGrainStorage();
        var mine = new GrainState<CounterState>(new CounterState());
        await storage.WriteStateAsync("s", Id, mine);
        var theirs = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", Id, theirs);
        var readEtag = mine.ETag;

        await storage.WriteStateAsync("s", Id, theirs);
        Assert.NotEqual(readEtag, theirs.ETag);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", Id, mine));
        Assert.Equal(theirs.ETag, conflict.StoredEtag);
        Assert.Equal(readEtag, conflict.CurrentEtag);
        Assert.Equal(readEtag, mine.ETag);

        // A writer that believes there is no record yet must not overwrite one.
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            storage.WriteStateAsync("s", Id, new GrainState<CounterState>(new CounterState())));
        // Names and ids are separate records.
        await storage.WriteStateAsync("other", Id, new GrainState<CounterState>(new CounterState()));
        await storage.WriteStateAsync("s", Id with { Key = "k2" }, new GrainState<CounterState>(new CounterState()));
    }

    [Fact]
    public async Task Clear_is_conditional_and_resets_the_state()
    {
        var storage = new MemoryGrainStorage();
        var state = new GrainState<CounterState>(new CounterState { Value = 3 });
        await storage.WriteStateAsync("s", Id, state);
        var stale = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", Id, stale);
        await storage.WriteStateAsync("s", Id, state);

        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.ClearStateAsync("s", Id, stale));
        await storage.ClearStateAsync("s", Id, state);

        Assert.Equal(0, state.State.Value);
        Assert.Null(state.ETag);
        Assert.False(state.RecordExists);
        var read = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", Id, read);
        Assert.False(read.RecordExists);
        // Versions are never reused, so the pre-clear etag stays stale for good.
        await Assert.ThrowsAsync<InconsistentStateException>(() => storage.WriteStateAsync("s", Id, stale));
    }

    [Fact]
    public async Task Optimistic_retries_from_many_threads_lose_no_update()
    {
        var storage = new MemoryGrainStorage();
        var writers = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            while (true)
            {
                var state = new GrainState<CounterState>();
                await storage.ReadStateAsync("s", Id, state);
                state.State.Value++;
                try
                {
                    await storage.WriteStateAsync("s", Id, state);
                    return;
                }
                catch (InconsistentStateException)
                {
                }
            }
        }));
        await Task.WhenAll(writers).Within();

        var final = new GrainState<CounterState>();
        await storage.ReadStateAsync("s", Id, final);
        Assert.Equal(20, final.State.Value);
    }
}

public sealed class IdleCollectionTests
{
    private static readonly TimeSpan Idle = TimeSpan.FromMinutes(15);

    private static (int Persisted, int Transient) Numbers(Snapshot snapshot) => (snapshot.Persisted, snapshot.Transient);

    [Fact]
    public async Task An_idle_activation_is_deactivated_and_the_next_call_reloads_its_persisted_state()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock, configure: o => o.IdleTimeout = Idle);
        var grain = host.Factory.GetGrain<IStatefulGrain>("idle");
        var id = new GrainId(nameof(StatefulGrain), "idle");
        await grain.IncrementPersisted();
        await grain.IncrementPersisted();
        await grain.SetTransient(7);
        Assert.Equal((2, 7), Numbers(await grain.Get()));

        clock.Advance(Idle - TimeSpan.FromMinutes(1));
        await host.Runtime.CollectIdleActivationsAsync();
        Assert.True(host.Runtime.IsActive(id));

        clock.Advance(TimeSpan.FromMinutes(2));
        await host.Runtime.CollectIdleActivationsAsync();
        Assert.False(host.Runtime.IsActive(id));
        Assert.Equal(0, host.Runtime.ActivationCount);
        Assert.Equal([("idle", DeactivationReasonCode.IdleTimeout)], host.Probe.Deactivations);

        // Persisted state survives; the in-memory field starts over.
        Assert.Equal((2, 0), Numbers(await grain.Get()));
        Assert.Equal(2, host.Probe.Activations("idle"));
        Assert.Equal(["activated with 0", "activated with 2"], host.Probe.Events);
    }

    [Fact]
    public async Task A_busy_activation_is_not_collected()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock, configure: o =>
        {
            o.IdleTimeout = Idle;
            o.CallTimeout = null;
        });
        var grain = host.Factory.GetGrain<IBlockingGrain>("busy");

        var block = grain.Block();
        await host.Probe.WhenSet("entered:busy");
        clock.Advance(Idle * 2);
        await host.Runtime.CollectIdleActivationsAsync();
        Assert.Equal(1, host.Runtime.ActivationCount);

        host.Probe.Set("release:busy");
        await block.Within();
        // The finished call counts as activity, so it is not idle yet either.
        await host.Runtime.CollectIdleActivationsAsync();
        Assert.Equal(1, host.Runtime.ActivationCount);
        Assert.Empty(host.Probe.Deactivations);

        clock.Advance(Idle);
        await host.Runtime.CollectIdleActivationsAsync();
        Assert.Equal(0, host.Runtime.ActivationCount);
    }

    [Fact]
    public async Task Timers_do_not_keep_an_activation_alive_nor_revive_it()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock, configure: o => o.IdleTimeout = Idle);
        var grain = host.Factory.GetGrain<IBlockingGrain>("ticking");
        await grain.StartTimer(TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(1));

        clock.Advance(TimeSpan.FromMinutes(1));
        await host.Probe.WhenSet("tick1:ticking");
        clock.Advance(Idle);
        // A tick may still be running its turn, and a running turn rightly blocks collection; ticks just do not
        // count as activity, so the activation goes as soon as the pass finds it between turns.
        for (var pass = 0; pass < 200 && host.Runtime.ActivationCount > 0; pass++)
        {
            await host.Runtime.CollectIdleActivationsAsync();
            if (host.Runtime.ActivationCount > 0) await Task.Delay(5, TestContext.Current.CancellationToken);
        }
        Assert.Equal(0, host.Runtime.ActivationCount);

        clock.Advance(TimeSpan.FromMinutes(10));
        Assert.Equal(0, host.Runtime.ActivationCount);
        Assert.Equal(1, host.Probe.Activations("ticking"));
    }
}

public sealed class VersionConflictTests
{
    [Fact]
    public async Task Two_hosts_writing_one_grain_the_stale_one_fails_reloads_and_nothing_is_lost()
    {
        var storage = new MemoryGrainStorage();
        await using var hostA = TestRuntime.Create(storage: storage);
        await using var hostB = TestRuntime.Create(storage: storage);
        var a = hostA.Factory.GetGrain<IStatefulGrain>("shared");
        var b = hostB.Factory.GetGrain<IStatefulGrain>("shared");

        await a.Add("a1");
        Assert.Equal(["a1"], (await b.Get()).Items);
        await b.Add("b1");

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => a.Add("a2"));
        Assert.NotNull(conflict.StoredEtag);
        Assert.NotEqual(conflict.StoredEtag, conflict.CurrentEtag);

        // The caller retries; the stale activation is gone and a fresh one starts from B's write.
        await a.Add("a2");
        Assert.Equal(["a1", "b1", "a2"], (await a.Get()).Items);
        Assert.Equal(2, hostA.Probe.Activations("shared"));
        Assert.Equal([("shared", DeactivationReasonCode.StateConflict)], hostA.Probe.Deactivations);

        await Assert.ThrowsAsync<InconsistentStateException>(() => b.Add("b2"));
        await b.Add("b2");

        var stored = new GrainState<CounterState>();
        await storage.ReadStateAsync(nameof(StatefulGrain), new GrainId(nameof(StatefulGrain), "shared"), stored);
        Assert.Equal(["a1", "b1", "a2", "b2"], stored.State.Items);
        Assert.Equal(["a1", "b1", "a2", "b2"], (await b.Get()).Items);
    }

    [Fact]
    public async Task Only_the_activation_whose_state_is_stale_is_deactivated()
    {
        await using var host = TestRuntime.Create();
        var relay = host.Factory.GetGrain<IRelayGrain>("relay");

        await Assert.ThrowsAsync<InconsistentStateException>(() => relay.Relay("stale"));
        await host.Factory.GetGrain<IConflictGrain>("stale").Ping();

        Assert.Equal("pong", await relay.Ping());
        Assert.Equal(1, host.Probe.Activations("relay"));
        Assert.Equal(2, host.Probe.Activations("stale"));
        Assert.Equal([("stale", DeactivationReasonCode.StateConflict)], host.Probe.Deactivations);
    }

    [Fact]
    public async Task Calls_queued_behind_a_conflict_run_on_the_reloaded_activation()
    {
        var storage = new MemoryGrainStorage();
        await using var hostA = TestRuntime.Create(storage: storage);
        await using var hostB = TestRuntime.Create(storage: storage);
        var a = hostA.Factory.GetGrain<IStatefulGrain>("queued");
        await a.IncrementPersisted();
        await hostB.Factory.GetGrain<IStatefulGrain>("queued").IncrementPersisted();

        var failing = a.IncrementPersisted();
        var queued = a.IncrementPersisted();

        await Assert.ThrowsAsync<InconsistentStateException>(() => failing);
        Assert.Equal(3, await queued.Within());
    }

    [Fact]
    public async Task A_write_that_failed_leaves_nothing_behind_the_next_call_starts_from_what_is_stored()
    {
        var storage = new FlakyGrainStorage(new MemoryGrainStorage());
        await using var host = TestRuntime.Create(storage: storage);
        var grain = host.Factory.GetGrain<IStatefulGrain>("flaky");
        await grain.Add("kept");

        storage.FailNextWrite = _ => true;
        await Assert.ThrowsAsync<IOException>(() => grain.Add("never stored"));

        Assert.Equal(["kept"], (await grain.Get()).Items);
        Assert.Equal(2, host.Probe.Activations("flaky"));
        Assert.Equal([("flaky", DeactivationReasonCode.StateWriteFailed)], host.Probe.Deactivations);
        await grain.Add("stored");
        Assert.Equal(["kept", "stored"], (await grain.Get()).Items);
    }

    [Fact]
    public async Task Clearing_state_resets_it_for_the_next_activation()
    {
        await using var host = TestRuntime.Create();
        var grain = host.Factory.GetGrain<IStatefulGrain>("cleared");
        await grain.IncrementPersisted();
        await grain.Clear();
        Assert.Equal(0, (await grain.Get()).Persisted);
        Assert.Equal(1, await grain.IncrementPersisted());
    }
}
