using System.Linq.Expressions;
using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Orleans;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// Orleans' durable reminders in the Reminders table, one row per (grain id, reminder name). Each silo reads the
/// reminders of its range of the hash ring, so the grain's uniform hash is stored and the range is a SQL condition.
/// Writes go through the <see cref="WriteQueue"/> like every other store write; a removal names the ETag it read, so a
/// reminder registered again meanwhile is not removed.
/// </summary>
public sealed class OrleansReminderTable : IReminderTable
{
    private readonly IDbContextFactory<GroupsDbContext> _contexts;
    private readonly WriteQueue _writes;

    internal OrleansReminderTable(IDbContextFactory<GroupsDbContext> contexts, WriteQueue writes)
    {
        _contexts = contexts;
        _writes = writes;
    }

    public async Task<ReminderTableData> ReadRows(GrainId grainId)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        var id = grainId.ToString();
        var rows = await db.Reminders.AsNoTracking().Where(r => r.GrainId == id).ToListAsync();
        return new ReminderTableData(rows.OrderBy(r => r.Name, StringComparer.Ordinal).Select(ToEntry));
    }

    /// <summary>
    /// The reminders whose grain hash lies in the ring range (begin, end]; when begin is not below end the range wraps
    /// past uint.MaxValue (and begin == end is the whole ring), as IReminderTable says.
    /// </summary>
    public async Task<ReminderTableData> ReadRows(uint begin, uint end)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        var (from, to) = ((long)begin, (long)end);
        var rows = begin < end
            ? db.Reminders.AsNoTracking().Where(r => r.GrainHash > from && r.GrainHash <= to)
            : db.Reminders.AsNoTracking().Where(r => r.GrainHash > from || r.GrainHash <= to);
        return new ReminderTableData((await rows.ToListAsync()).Select(ToEntry));
    }

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        var row = await db.Reminders.AsNoTracking().SingleOrDefaultAsync(Matches(grainId, reminderName));
        return row is null ? null : ToEntry(row);
    }

    public async Task<string?> UpsertRow(ReminderEntry entry)
    {
        var (grainId, name) = (entry.GrainId, entry.ReminderName);
        var id = grainId.ToString();
        var hash = (long)grainId.GetUniformHashCode();
        var startAt = Instant(entry.StartAt);
        var periodMs = (long)entry.Period.TotalMilliseconds;
        var etag = NewETag();
        await _writes.EnqueueAsync(Key(grainId, name), async db =>
        {
            var updated = await db.Reminders.Where(Matches(grainId, name)).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.StartAt, startAt).SetProperty(r => r.PeriodMs, periodMs).SetProperty(r => r.ETag, etag));
            if (updated == 0)
                db.Reminders.Add(new ReminderRecord
                {
                    GrainId = id, GrainHash = hash, Name = name, StartAt = startAt, PeriodMs = periodMs, ETag = etag,
                });
            return true;
        }, null, CancellationToken.None);
        return etag;
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag) =>
        _writes.EnqueueAsync(Key(grainId, reminderName),
            async db => await db.Reminders.Where(Matches(grainId, reminderName)).Where(r => r.ETag == eTag).ExecuteDeleteAsync() > 0,
            null, CancellationToken.None);

    public async Task TestOnlyClearTable()
    {
        await using var db = await _contexts.CreateDbContextAsync();
        await db.Reminders.ExecuteDeleteAsync();
    }

    internal static ReminderEntry ToEntry(ReminderRecord row) => new()
    {
        GrainId = GrainId.Parse(row.GrainId),
        ReminderName = row.Name,
        StartAt = row.StartAt.UtcDateTime,
        Period = TimeSpan.FromMilliseconds(row.PeriodMs),
        ETag = row.ETag,
    };

    /// <summary>Orleans hands over UTC times; one without a kind is taken as UTC, never as the machine's local time.</summary>
    private static DateTimeOffset Instant(DateTime time) => time.Kind switch
    {
        DateTimeKind.Local => new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero),
        _ => new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero),
    };

    internal static string NewETag() => Guid.NewGuid().ToString("N");

    private static (string, string, string) Key(GrainId grainId, string reminderName) =>
        ("orleans-reminder", grainId.ToString(), reminderName);

    private static Expression<Func<ReminderRecord, bool>> Matches(GrainId grainId, string reminderName)
    {
        var id = grainId.ToString();
        return r => r.GrainId == id && r.Name == reminderName;
    }
}
