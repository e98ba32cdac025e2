using System.Linq.Expressions;
using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.EntityFrameworkCore;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// Durable reminders of the home-made grain runtime, in what is now the LegacyReminders table. Writes go through the <see cref="WriteQueue"/> like every other store
/// write. Claiming a tick is one conditional statement on the ETag, so of two hosts (or a host before and after a
/// restart) only one can record a given tick as fired.
/// </summary>
internal sealed class EfReminderTable(IDbContextFactory<GroupsDbContext> contexts, WriteQueue writes) : IReminderTable
{
    private const long OneShot = -1;

    public async Task<ReminderEntry?> ReadAsync(GrainId grainId, string reminderName)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var row = await db.LegacyReminders.AsNoTracking().SingleOrDefaultAsync(Matches(grainId, reminderName));
        return row is null ? null : ToEntry(row);
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadAsync(GrainId grainId)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var (type, key) = (grainId.Type, grainId.Key);
        var rows = await db.LegacyReminders.AsNoTracking().Where(r => r.GrainType == type && r.GrainKey == key).ToListAsync();
        return rows.Select(ToEntry).OrderBy(e => e.ReminderName, StringComparer.Ordinal).ToList();
    }

    public async Task<IReadOnlyList<ReminderEntry>> ReadDueAsync(DateTimeOffset until, int max)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var rows = await db.LegacyReminders.AsNoTracking().Where(r => r.NextDue <= until).OrderBy(r => r.NextDue).Take(max).ToListAsync();
        return rows.Select(ToEntry).ToList();
    }

    public async Task<DateTimeOffset?> NextDueAsync()
    {
        await using var db = await contexts.CreateDbContextAsync();
        return await db.LegacyReminders.AsNoTracking().OrderBy(r => r.NextDue).Select(r => (DateTimeOffset?)r.NextDue).FirstOrDefaultAsync();
    }

    public async Task<ReminderEntry> UpsertAsync(GrainId grainId, string reminderName, DateTimeOffset firstTick, TimeSpan period)
    {
        firstTick = ReminderTime.Normalize(firstTick);
        var periodMs = period == Timeout.InfiniteTimeSpan ? OneShot : (long)period.TotalMilliseconds;
        var etag = NewETag();
        await writes.EnqueueAsync(Key(grainId, reminderName), async db =>
        {
            var updated = await db.LegacyReminders.Where(Matches(grainId, reminderName)).ExecuteUpdateAsync(set => set
                .SetProperty(r => r.FirstTick, firstTick).SetProperty(r => r.PeriodMs, periodMs)
                .SetProperty(r => r.NextDue, firstTick).SetProperty(r => r.ETag, etag));
            if (updated == 0)
                db.LegacyReminders.Add(new LegacyReminderRecord
                {
                    GrainType = grainId.Type, GrainKey = grainId.Key, Name = reminderName,
                    FirstTick = firstTick, PeriodMs = periodMs, NextDue = firstTick, ETag = etag,
                });
            return true;
        }, null, CancellationToken.None);
        return new ReminderEntry(grainId, reminderName, firstTick, Period(periodMs), firstTick, etag);
    }

    public Task<bool> RemoveAsync(GrainId grainId, string reminderName) =>
        writes.EnqueueAsync(Key(grainId, reminderName),
            async db => await db.LegacyReminders.Where(Matches(grainId, reminderName)).ExecuteDeleteAsync() > 0,
            null, CancellationToken.None);

    public Task<bool> TryAdvanceAsync(ReminderEntry fired, DateTimeOffset? nextDue)
    {
        var held = fired.ETag;
        var etag = NewETag();
        return writes.EnqueueAsync(Key(fired.GrainId, fired.ReminderName), async db =>
        {
            var stored = db.LegacyReminders.Where(Matches(fired.GrainId, fired.ReminderName)).Where(r => r.ETag == held);
            var changed = nextDue is { } next
                ? await stored.ExecuteUpdateAsync(set => set
                    .SetProperty(r => r.NextDue, ReminderTime.Normalize(next)).SetProperty(r => r.ETag, etag))
                : await stored.ExecuteDeleteAsync();
            return changed == 1;
        }, null, CancellationToken.None);
    }

    private static ReminderEntry ToEntry(LegacyReminderRecord row) =>
        new(new GrainId(row.GrainType, row.GrainKey), row.Name, row.FirstTick.ToUniversalTime(), Period(row.PeriodMs),
            row.NextDue.ToUniversalTime(), row.ETag);

    private static TimeSpan Period(long periodMs) =>
        periodMs == OneShot ? Timeout.InfiniteTimeSpan : TimeSpan.FromMilliseconds(periodMs);

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private static (string, string, string, string) Key(GrainId grainId, string reminderName) =>
        ("reminder", grainId.Type, grainId.Key, reminderName);

    private static Expression<Func<LegacyReminderRecord, bool>> Matches(GrainId grainId, string reminderName)
    {
        var (type, key) = (grainId.Type, grainId.Key);
        return r => r.GrainType == type && r.GrainKey == key && r.Name == reminderName;
    }
}
