using System.Collections.Concurrent;
using BetweenSessions.Groups.Grains.Runtime;
using BetweenSessions.Groups.Grains.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteReminderTests(SqliteFixture fixture) : ReminderDataContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresReminderTests(PostgresFixture fixture) : ReminderDataContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>Durable reminders in the database: what the table keeps, and a host restart between arming and firing.</summary>
public abstract class ReminderDataContract(DatabaseFixture fixture)
{
    private static readonly TimeSpan Once = Timeout.InfiniteTimeSpan;

    private IReminderTable Table => fixture.Services.GetRequiredService<IReminderTable>();

    private static GrainId Grain(string key) => new("ReminderProbeGrain", key + "-" + Guid.NewGuid().ToString("N")[..8]);

    [Fact]
    public async Task A_tick_is_claimed_once_and_a_stale_claim_loses()
    {
        var id = Grain("claim");
        var at = new DateTimeOffset(2026, 3, 29, 0, 30, 0, 123, TimeSpan.Zero).AddTicks(4567);
        var armed = await Table.UpsertAsync(id, "daily", at, TimeSpan.FromDays(1));
        Assert.Equal(ReminderTime.Normalize(at), armed.NextDue);

        var read = Assert.Single(await Table.ReadDueAsync(at.AddMinutes(1), 1000), e => e.GrainId == id);
        Assert.Equal(armed, read);
        Assert.True(await Table.TryAdvanceAsync(read, read.NextAfter(at)));
        // A second host that read the same row before the claim must not fire the same tick.
        Assert.False(await Table.TryAdvanceAsync(read, read.NextAfter(at)));

        var next = await Table.ReadAsync(id, "daily");
        Assert.Equal(ReminderTime.Normalize(at).AddDays(1), next!.NextDue);
        Assert.Equal(TimeSpan.FromDays(1), next.Period);
        Assert.DoesNotContain(await Table.ReadDueAsync(at.AddHours(1), 1000), e => e.GrainId == id);
    }

    [Fact]
    public async Task A_one_shot_reminder_is_gone_once_fired_and_re_registering_replaces_it()
    {
        var id = Grain("once");
        var at = new DateTimeOffset(2026, 10, 25, 1, 0, 0, TimeSpan.Zero);
        var first = await Table.UpsertAsync(id, "after-session", at, Once);
        var moved = await Table.UpsertAsync(id, "after-session", at.AddHours(1), Once);
        Assert.NotEqual(first.ETag, moved.ETag);
        Assert.False(await Table.TryAdvanceAsync(first, null));

        var stored = await Table.ReadAsync(id, "after-session");
        Assert.Equal(at.AddHours(1), stored!.NextDue);
        Assert.True(stored.IsOneShot);
        Assert.True(await Table.TryAdvanceAsync(stored, null));
        Assert.Null(await Table.ReadAsync(id, "after-session"));

        await Table.UpsertAsync(id, "a", at, Once);
        await Table.UpsertAsync(id, "b", at, TimeSpan.FromHours(1));
        Assert.Equal(["a", "b"], (await Table.ReadAsync(id)).Select(e => e.ReminderName));
        Assert.True(await Table.RemoveAsync(id, "a"));
        Assert.False(await Table.RemoveAsync(id, "a"));
        Assert.Equal(["b"], (await Table.ReadAsync(id)).Select(e => e.ReminderName));
    }

    [Fact]
    public async Task A_restart_between_arming_and_firing_loses_nothing_and_duplicates_nothing()
    {
        var clock = new ManualTimeProvider();
        var ticks = new ConcurrentQueue<string>();
        var key = "restart-" + Guid.NewGuid().ToString("N")[..8];

        var before = Host(clock, ticks);
        await before.Runtime.StartAsync(CancellationToken.None);
        await before.Runtime.GetGrain<IReminderProbeGrain>(key).Arm("after-session", TimeSpan.FromHours(2));
        await before.Runtime.StopAsync(CancellationToken.None);
        await before.Services.DisposeAsync();

        clock.Advance(TimeSpan.FromHours(2));
        var one = Host(clock, ticks);
        var two = Host(clock, ticks);
        await one.Runtime.StartAsync(CancellationToken.None);
        await two.Runtime.StartAsync(CancellationToken.None);
        await Until(() => ticks.Count > 0);
        // Both hosts look once more and wait for what they start: the tick is recorded as fired in the table.
        await Task.WhenAll(one.Runtime.FireDueRemindersAsync(), two.Runtime.FireDueRemindersAsync());
        clock.Advance(TimeSpan.FromDays(1));
        await Task.WhenAll(one.Runtime.FireDueRemindersAsync(), two.Runtime.FireDueRemindersAsync());

        Assert.Equal([$"{key}:after-session@11:00"], ticks);
        foreach (var host in new[] { one, two })
        {
            await host.Runtime.StopAsync(CancellationToken.None);
            await host.Services.DisposeAsync();
        }
    }

    private static async Task Until(Func<bool> condition)
    {
        using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition()) await Task.Delay(10, limit.Token);
    }

    private (GrainRuntime Runtime, ServiceProvider Services) Host(TimeProvider clock, ConcurrentQueue<string> ticks)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(ticks)
            .AddSingleton(fixture.Services.GetRequiredService<IReminderTable>())
            .AddSingleton(fixture.Services.GetRequiredService<IGrainStorage>())
            .AddGrain<IReminderProbeGrain, ReminderProbeGrain>()
            .BuildServiceProvider();
        var runtime = new GrainRuntime(services, Options.Create(new GrainRuntimeOptions()),
            services.GetRequiredService<ILogger<GrainRuntime>>(), clock);
        return (runtime, services);
    }
}

public interface IReminderProbeGrain : IGrainWithStringKey
{
    Task Arm(string name, TimeSpan dueTime);
}

public sealed class ReminderProbeGrain(ConcurrentQueue<string> ticks) : Grain, IReminderProbeGrain, IRemindable
{
    public Task Arm(string name, TimeSpan dueTime) => RegisterOrUpdateReminder(name, dueTime, Timeout.InfiniteTimeSpan);

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        ticks.Enqueue($"{GrainId.Key}:{reminderName}@{status.CurrentTickTime:HH:mm}");
        return Task.CompletedTask;
    }
}
