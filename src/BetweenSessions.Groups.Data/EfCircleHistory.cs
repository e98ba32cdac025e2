using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Microsoft.EntityFrameworkCore;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// History for the facilitator dashboard, read straight from the database (no grain turn is held while it loads).
/// The viewer's role comes from the stored membership, and <see cref="Audience.CanSee"/> is applied in SQL with it,
/// as <see cref="EfCircleStore.ReadEventsAsync"/> does: a non-member sees nothing, "private" only its author and subject.
/// </summary>
internal sealed class EfCircleHistory(IDbContextFactory<GroupsDbContext> contexts, IAccessLog accessLog) : ICircleHistory
{
    public async Task<IReadOnlyList<CircleEvent>> ReadVisibleAsync(
        Guid circleId, string viewerId, DateTimeOffset? since, IReadOnlyCollection<string>? types, bool sharedOnly = false,
        CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await VisibleAsync(db, circleId, viewerId, sharedOnly, ct) is not var (events, role)) return [];
        if (since is { } from) events = events.Where(e => e.At >= from);
        if (types is not null) events = events.Where(e => types.Contains(e.Type));
        var rows = await events.OrderBy(e => e.Seq).ToListAsync(ct);
        var visible = rows.Select(EfCircleStore.ToEvent).ToList();
        await accessLog.RecordOpenedAsync(circleId, new EventViewer(viewerId, role), visible, ct);
        return visible;
    }

    public async Task<IReadOnlyDictionary<string, DateTimeOffset>> LastVisibleByAuthorAsync(
        Guid circleId, string viewerId, IReadOnlyCollection<string> types, bool sharedOnly = false, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (await VisibleAsync(db, circleId, viewerId, sharedOnly, ct) is not var (events, _)) return new Dictionary<string, DateTimeOffset>();
        // The greatest seq per author, not the greatest instant: seq order is storage order on every provider, and
        // SQLite keeps instants as ticks that some providers cannot take a MAX of through a converter.
        var latest = await events.Where(e => types.Contains(e.Type))
            .GroupBy(e => e.MemberId)
            .Select(g => g.Max(e => e.Seq))
            .ToListAsync(ct);
        var rows = await db.CircleEvents.AsNoTracking()
            .Where(e => e.CircleId == circleId && latest.Contains(e.Seq))
            .Select(e => new { e.MemberId, e.At })
            .ToListAsync(ct);
        return rows.ToDictionary(r => r.MemberId, r => r.At, StringComparer.Ordinal);
    }

    /// <summary>The circle's events the viewer may see and the viewer's role, or null when they are not a member.</summary>
    private static async Task<(IQueryable<CircleEventRecord> Events, CircleRole Role)?> VisibleAsync(
        GroupsDbContext db, Guid circleId, string viewerId, bool sharedOnly, CancellationToken ct)
    {
        var role = await db.CircleMembers.Where(m => m.CircleId == circleId && m.MemberId == viewerId)
            .Select(m => (CircleRole?)m.Role).SingleOrDefaultAsync(ct);
        if (role is null) return null;
        var events = db.CircleEvents.AsNoTracking().Where(e => e.CircleId == circleId);
        if (sharedOnly) events = events.Where(e => e.Visibility != Visibility.Private);
        return role == CircleRole.Facilitator
            ? (events.Where(e => e.Visibility != Visibility.Private || e.MemberId == viewerId || e.SubjectMemberId == viewerId), role.Value)
            : (events.Where(e => e.Visibility == Visibility.Circle || e.MemberId == viewerId || e.SubjectMemberId == viewerId), role.Value);
    }
}
