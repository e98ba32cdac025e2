using BetweenSessions.Groups.Grains.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public sealed class ReminderTests
{
    private static readonly TimeSpan Once = Timeout.InfiniteTimeSpan;

    [Fact]
    public async Task A_reminder_fires_once_when_due_and_activates_a_grain_that_was_collected()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock);
        await host.Runtime.StartAsync(CancellationToken.None);
        var grain = host.Factory.GetGrain<IRemindedGrain>("a");
        await grain.Remind("evening", TimeSpan.FromHours(2), Once);
        await grain.Deactivate();

        clock.Advance(TimeSpan.FromHours(1));
        await host.Runtime.FireDueRemindersAsync().Within();
        Assert.Empty(host.Probe.Events);

        clock.Advance(TimeSpan.FromHours(1));
        await host.Probe.WhenSet("reminder1:a:evening");
        Assert.Equal(2, host.Probe.Activations("a"));

        clock.Advance(TimeSpan.FromDays(2));
        await host.Runtime.FireDueRemindersAsync().Within();
        Assert.Equal(["a:evening@11:00:00"], host.Probe.Events);
        Assert.Empty(await grain.Reminders());
    }

    [Fact]
    public async Task A_periodic_reminder_ticks_on_its_schedule_until_unregistered()
    {
        var clock = new ManualTimeProvider();
        await using var host = TestRuntime.Create(clock);
        await host.Runtime.StartAsync(CancellationToken.None);
        var grain = host.Factory.GetGrain<IRemindedGrain>("p");
        await grain.Remind("daily", TimeSpan.FromMinutes(30), TimeSpan.FromDays(1));

        clock.Advance(TimeSpan.FromMinutes(30));
        await host.Probe.WhenSet("reminder1:p:daily");
        clock.Advance(TimeSpan.FromDays(1));
        await host.Probe.WhenSet("reminder2:p:daily");
        await grain.Forget("daily");
        clock.Advance(TimeSpan.FromDays(3));
        await host.Runtime.FireDueRemindersAsync().Within();

        Assert.Equal(["p:daily@09:30:00", "p:daily@09:30:00"], host.Probe.Events);
        Assert.Empty(await grain.Reminders());
    }

    [Fact]
    public async Task A_restart_between_arming_and_firing_loses_nothing_and_duplicates_nothing()
    {
        var clock = new ManualTimeProvider();
        var table = new MemoryReminderTable();
        var storage = new MemoryGrainStorage();
        var first = TestRuntime.Create(clock, storage, reminders: table);
        var firstProbe = first.Probe;
        await first.Runtime.StartAsync(CancellationToken.None);
        await first.Factory.GetGrain<IRemindedGrain>("r").Remind("after-session", TimeSpan.FromHours(2), Once);
        await first.DisposeAsync();

        clock.Advance(TimeSpan.FromHours(3));
        await using var second = TestRuntime.Create(clock, storage, reminders: table);
        await second.Runtime.StartAsync(CancellationToken.None);
        await second.Probe.WhenSet("reminder1:r:after-session");

        clock.Advance(TimeSpan.FromDays(1));
        await second.Runtime.FireDueRemindersAsync().Within();
        Assert.Equal(["r:after-session@11:00:00"], second.Probe.Events);
        Assert.Empty(firstProbe.Events);
    }

    [Fact]
    public async Task A_host_that_was_down_for_several_periods_fires_once_then_keeps_the_schedule()
    {
        var clock = new ManualTimeProvider();
        var table = new MemoryReminderTable();
        var first = TestRuntime.Create(clock, reminders: table);
        await first.Runtime.StartAsync(CancellationToken.None);
        await first.Factory.GetGrain<IRemindedGrain>("d").Remind("daily", TimeSpan.FromHours(1), TimeSpan.FromDays(1));
        await first.DisposeAsync();

        clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromHours(2));
        await using var second = TestRuntime.Create(clock, reminders: table);
        await second.Runtime.StartAsync(CancellationToken.None);
        await second.Probe.WhenSet("reminder1:d:daily");
        clock.Advance(TimeSpan.FromHours(23));
        await second.Probe.WhenSet("reminder2:d:daily");
        await second.Runtime.FireDueRemindersAsync().Within();

        // Missed ticks are skipped, not replayed: one for the time away, then the next on the schedule (10:00).
        Assert.Equal(["d:daily@10:00:00", "d:daily@10:00:00"], second.Probe.Events);
        var stored = Assert.Single(await table.ReadDueAsync(DateTimeOffset.MaxValue, 10));
        Assert.Equal(new DateTimeOffset(2026, 1, 10, 10, 0, 0, TimeSpan.Zero), stored.NextDue);
    }

    [Fact]
    public async Task Two_hosts_over_one_table_fire_each_tick_once()
    {
        var clock = new ManualTimeProvider();
        var table = new MemoryReminderTable();
        var storage = new MemoryGrainStorage();
        var probe = new Probe();
        await using var one = TestRuntime.Create(clock, storage, reminders: table, probe: probe);
        await using var two = TestRuntime.Create(clock, storage, reminders: table, probe: probe);
        await one.Runtime.StartAsync(CancellationToken.None);
        await two.Runtime.StartAsync(CancellationToken.None);
        foreach (var key in new[] { "x", "y", "z" })
            await one.Factory.GetGrain<IRemindedGrain>(key).Remind("tick", TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5));

        for (var n = 1; n <= 3; n++)
        {
            clock.Advance(TimeSpan.FromMinutes(5));
            foreach (var key in new[] { "x", "y", "z" })
                await probe.WhenSet($"reminder{n}:{key}:tick");
        }
        await Task.WhenAll(one.Runtime.FireDueRemindersAsync(), two.Runtime.FireDueRemindersAsync()).Within();

        var all = probe.Events.ToList();
        Assert.Equal(9, all.Count);
        Assert.Equal(9, all.Distinct().Count());
    }

    [Fact]
    public async Task Only_remindable_grains_may_register_and_a_runtime_without_a_table_says_so()
    {
        await using var host = TestRuntime.Create(new ManualTimeProvider());
        var grain = host.Factory.GetGrain<IRemindedGrain>("v");
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Remind("too-often", TimeSpan.Zero, TimeSpan.FromMilliseconds(10)));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => grain.Remind("late", TimeSpan.FromSeconds(-1), Once));
    }
}
