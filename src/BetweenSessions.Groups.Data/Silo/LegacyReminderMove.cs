using BetweenSessions.Groups.Contracts;
using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// Moves the home-made runtime's reminders (LegacyReminders) into Orleans' Reminders table, at start-up after the
/// migrations. Done in C# rather than in the migration because the row needs the grain's Orleans hash. Each reminder
/// starts at the tick it had not yet fired; a one-shot gets a one-minute period, because Orleans has no one-shot
/// reminder and needs at least a minute: the grain unregisters it when it fires. One transaction, and a database with
/// no legacy rows does nothing, so it is safe on every start.
/// </summary>
public static class LegacyReminderMove
{
    private const long OneShot = -1;

    /// <returns>How many legacy reminders were moved.</returns>
    public static async Task<int> MoveAsync(GroupsDbContext db, CancellationToken ct = default)
    {
        if (!await db.LegacyReminders.AnyAsync(ct)) return 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var legacy = await db.LegacyReminders.ToListAsync(ct);
        var moved = legacy.Select(ToReminder).ToList();
        var ids = moved.Select(r => r.GrainId).Distinct().ToList();
        var existing = (await db.Reminders.AsNoTracking().Where(r => ids.Contains(r.GrainId))
            .Select(r => new { r.GrainId, r.Name }).ToListAsync(ct)).Select(r => (r.GrainId, r.Name)).ToHashSet();
        // A reminder Orleans already holds under the same name was registered after the old one: it stays.
        db.Reminders.AddRange(moved.Where(r => !existing.Contains((r.GrainId, r.Name)))
            .DistinctBy(r => (r.GrainId, r.Name)));
        db.LegacyReminders.RemoveRange(legacy);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return legacy.Count;
    }

    private static ReminderRecord ToReminder(LegacyReminderRecord old)
    {
        var grainId = LegacyGrainIds.ToGrainId(old.GrainType, old.GrainKey);
        return new ReminderRecord
        {
            GrainId = grainId.ToString(),
            GrainHash = grainId.GetUniformHashCode(),
            Name = old.Name,
            StartAt = old.NextDue,
            PeriodMs = old.PeriodMs == OneShot ? (long)OneShotReminder.Period.TotalMilliseconds : old.PeriodMs,
            ETag = OrleansReminderTable.NewETag(),
        };
    }
}
