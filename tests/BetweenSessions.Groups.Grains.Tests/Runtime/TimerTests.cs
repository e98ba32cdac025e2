namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public sealed class TimerTests
{
    [Fact]
    public async Task A_tick_due_during_a_call_runs_as_a_turn_after_it()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock, configure: o => o.CallTimeout = null);
        var grain = host.Factory.GetGrain<IBlockingGrain>("timed");
        await grain.StartTimer(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));

        var block = grain.Block();
        await host.Probe.WhenSet("entered:timed");
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.DoesNotContain("tick", host.Probe.Events);
        host.Probe.Set("release:timed");
        await block.Within();
        await host.Probe.WhenSet("tick1:timed");

        Assert.Equal(["call-start", "call-end", "tick"], host.Probe.Events);
        Assert.Equal(0, host.Probe.Overlaps);
    }

    [Fact]
    public async Task A_timer_ticks_each_period_until_disposed()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock);
        var grain = host.Factory.GetGrain<IBlockingGrain>("periodic");
        await grain.StartTimer(TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(1));

        clock.Advance(TimeSpan.FromSeconds(4));
        await grain.Ping();
        Assert.DoesNotContain("tick", host.Probe.Events);

        clock.Advance(TimeSpan.FromSeconds(1));
        await host.Probe.WhenSet("tick1:periodic");
        // A ping queues behind the tick's turn, which re-arms the timer before it ends.
        await grain.Ping();
        clock.Advance(TimeSpan.FromSeconds(1));
        await host.Probe.WhenSet("tick2:periodic");

        await grain.StopTimer();
        clock.Advance(TimeSpan.FromSeconds(10));
        await grain.Ping();
        Assert.Equal(2, host.Probe.Events.Count(e => e == "tick"));
    }
}
