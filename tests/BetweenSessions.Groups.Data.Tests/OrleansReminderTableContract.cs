using Orleans;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteOrleansReminderTableTests(SqliteFixture fixture)
    : OrleansReminderTableContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresOrleansReminderTableTests(PostgresFixture fixture)
    : OrleansReminderTableContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>Orleans' reminder table in Reminders: rows by grain, by ring range, and ETag-conditional removal.</summary>
public abstract class OrleansReminderTableContract(DatabaseFixture fixture)
{
    private IReminderTable Table => fixture.OrleansReminders;

    private static readonly DateTime At = new(2026, 12, 9, 19, 30, 0, 250, DateTimeKind.Utc);

    private static GrainId NewGrain(string type = "nudge") => GrainId.Create(type, "member-" + Guid.NewGuid().ToString("N"));

    private static ReminderEntry Entry(GrainId id, string name, DateTime? at = null, TimeSpan? period = null) =>
        new() { GrainId = id, ReminderName = name, StartAt = at ?? At, Period = period ?? TimeSpan.FromMinutes(1) };

    [Fact]
    public async Task Upsert_then_read_by_name_and_by_grain()
    {
        var id = NewGrain();
        var etag = await Table.UpsertRow(Entry(id, "deferred", period: TimeSpan.FromDays(1)));
        await Table.UpsertRow(Entry(id, "another"));
        await Table.UpsertRow(Entry(NewGrain(), "deferred"));

        var row = await Table.ReadRow(id, "deferred");
        Assert.NotNull(row);
        Assert.Equal(id, row.GrainId);
        Assert.Equal("deferred", row.ReminderName);
        Assert.Equal(At, row.StartAt);
        Assert.Equal(DateTimeKind.Utc, row.StartAt.Kind);
        Assert.Equal(TimeSpan.FromDays(1), row.Period);
        Assert.Equal(etag, row.ETag);

        Assert.Equal(["another", "deferred"], (await Table.ReadRows(id)).Reminders.Select(r => r.ReminderName));
        Assert.Null(await Table.ReadRow(id, "never"));
        Assert.Empty((await Table.ReadRows(NewGrain())).Reminders);
    }

    [Fact]
    public async Task Upsert_replaces_the_row_and_changes_its_ETag()
    {
        var id = NewGrain();
        var first = await Table.UpsertRow(Entry(id, "session-ends"));
        var second = await Table.UpsertRow(Entry(id, "session-ends", At.AddDays(7), TimeSpan.FromMinutes(5)));

        Assert.NotEqual(first, second);
        var row = Assert.Single((await Table.ReadRows(id)).Reminders);
        Assert.Equal(At.AddDays(7), row.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(5), row.Period);
        Assert.Equal(second, row.ETag);
    }

    [Fact]
    public async Task Remove_needs_the_current_ETag()
    {
        var id = NewGrain();
        var stale = await Table.UpsertRow(Entry(id, "cue"));
        var current = await Table.UpsertRow(Entry(id, "cue", At.AddHours(1)));

        Assert.False(await Table.RemoveRow(id, "cue", stale!));
        Assert.NotNull(await Table.ReadRow(id, "cue"));
        Assert.True(await Table.RemoveRow(id, "cue", current!));
        Assert.Null(await Table.ReadRow(id, "cue"));
        Assert.False(await Table.RemoveRow(id, "cue", current!));
    }

    [Fact]
    public async Task Range_reads_follow_the_ring_begin_exclusive_end_inclusive()
    {
        // Grains of a type of their own, so other tests' rows do not count; the hashes are whatever they are.
        var type = "ring" + Guid.NewGuid().ToString("N")[..8];
        var grains = Enumerable.Range(0, 24).Select(i => GrainId.Create(type, $"g{i}")).ToList();
        foreach (var id in grains) await Table.UpsertRow(Entry(id, "r"));
        var hashes = grains.ToDictionary(g => g, g => g.GetUniformHashCode());
        var sorted = hashes.Values.OrderBy(h => h).ToList();
        var (low, mid, high) = (sorted[3], sorted[11], sorted[20]);

        async Task<HashSet<GrainId>> Read(uint begin, uint end) =>
            (await Table.ReadRows(begin, end)).Reminders.Select(r => r.GrainId).Where(g => hashes.ContainsKey(g)).ToHashSet();
        HashSet<GrainId> Expected(Func<uint, bool> inRange) => hashes.Where(p => inRange(p.Value)).Select(p => p.Key).ToHashSet();

        // begin < end: (begin, end]; a row exactly on begin is out, one exactly on end is in.
        Assert.Equal(Expected(h => h > low && h <= high), await Read(low, high));
        Assert.DoesNotContain(hashes.Single(p => p.Value == low).Key, await Read(low, high));
        Assert.Contains(hashes.Single(p => p.Value == high).Key, await Read(low, high));
        // begin >= end wraps past uint.MaxValue: above begin or at most end.
        Assert.Equal(Expected(h => h > high || h <= low), await Read(high, low));
        Assert.Equal(Expected(h => h > mid || h <= mid), await Read(mid, mid));
        Assert.Equal(grains.ToHashSet(), await Read(mid, mid));
        // The ends of the ring: uint.MaxValue and 0 are compared as numbers, not as signed ints.
        Assert.Equal(Expected(h => h > mid), await Read(mid, uint.MaxValue));
        Assert.Equal(Expected(h => h <= mid), await Read(uint.MaxValue, mid));
        Assert.Equal(Expected(h => h > 0 && h <= mid), await Read(0, mid));
    }
}
