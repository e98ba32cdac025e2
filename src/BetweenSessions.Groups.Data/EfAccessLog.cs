using System.Collections.Concurrent;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Data.Configurations;
using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;

namespace BetweenSessions.Groups.Data;

/// <summary>The access log in the app's own database, written through the one writer like every other write.</summary>
internal sealed class EfAccessLog(IDbContextFactory<GroupsDbContext> contexts, WriteQueue writes, TimeProvider clock) : IAccessLog
{
    private const int MaxRemembered = 10_000;

    // Per host: with several hosts a read on each may be recorded once per host within the window, never less.
    private readonly ConcurrentDictionary<(string Actor, Guid Circle, string Subject, string Action), DateTimeOffset> _recentlyOpened = new();

    public Task AppendAsync(IReadOnlyCollection<AccessRecord> records, CancellationToken ct = default)
    {
        if (records.Count == 0) return Task.CompletedTask;
        // Its own key: access-log writes never conflict with anything, so they share a batch with whatever is under way.
        return writes.EnqueueAsync(new object(), async db =>
        {
            var now = clock.GetUtcNow();
            foreach (var record in records)
                db.AccessLog.Add(await RowAsync(db, record, now));
            return true;
        }, null, ct);
    }

    public Task RecordOpenedAsync(Guid circleId, EventViewer viewer, IEnumerable<CircleEvent> events, CancellationToken ct = default)
    {
        if (viewer.Role != CircleRole.Facilitator) return Task.CompletedTask;
        var now = clock.GetUtcNow();
        var opened = new List<AccessRecord>();
        foreach (var (subject, action, count) in Opened(viewer.MemberId, events))
        {
            var key = (viewer.MemberId, circleId, subject, action);
            if (_recentlyOpened.TryGetValue(key, out var last) && now - last < IAccessLog.OpenedWindow) continue;
            _recentlyOpened[key] = now;
            opened.Add(new AccessRecord(viewer.MemberId, action, circleId, subject, count == 1 ? "1 entry" : $"{count} entries"));
        }
        if (_recentlyOpened.Count > MaxRemembered) Forget(now);
        return AppendAsync(opened, ct);
    }

    /// <summary>Other people's facilitators-only entries and support requests, per person and kind.</summary>
    private static IEnumerable<(string Subject, string Action, int Count)> Opened(string viewerId, IEnumerable<CircleEvent> events) =>
        events
            .Where(e => e.MemberId != viewerId && e.MemberId != CircleEvent.RemovedAuthorId
                && (e.Visibility == Visibility.Facilitators || IsSupport(e.Type)))
            .GroupBy(e => (e.MemberId, Action: IsSupport(e.Type) ? AccessActions.OpenedSupportRequest : AccessActions.OpenedFacilitatorsOnly))
            .Select(g => (g.Key.MemberId, g.Key.Action, g.Count()));

    private static bool IsSupport(string type) => type is EventTypes.SupportRequested or EventTypes.SupportNoteAdded;

    private void Forget(DateTimeOffset now)
    {
        foreach (var (key, at) in _recentlyOpened)
            if (now - at >= IAccessLog.OpenedWindow) _recentlyOpened.TryRemove(key, out _);
    }

    /// <summary>The row for <paramref name="record"/>, with the names and the circle's name as they are now.</summary>
    internal static async Task<AccessLogRecord> RowAsync(GroupsDbContext db, AccessRecord record, DateTimeOffset now)
    {
        string? circleName = null;
        if (record.CircleId is { } circleId)
            circleName = await db.Circles.Where(c => c.Id == circleId).Select(c => c.Name).SingleOrDefaultAsync();
        return new AccessLogRecord
        {
            At = now,
            ActorId = record.ActorId,
            ActorName = await NameAsync(db, record.ActorId, record.CircleId),
            Action = record.Action,
            CircleId = record.CircleId,
            CircleName = circleName,
            SubjectId = record.SubjectId,
            SubjectName = record.SubjectId is null ? null : await NameAsync(db, record.SubjectId, record.CircleId),
            Detail = record.Detail is { Length: > AccessLogRecordConfiguration.DetailLength } tooLong
                ? tooLong[..AccessLogRecordConfiguration.DetailLength] : record.Detail,
        };
    }

    /// <summary>The name the person has in the circle, else the one on their account.</summary>
    private static async Task<string?> NameAsync(GroupsDbContext db, string personId, Guid? circleId)
    {
        if (circleId is { } id
            && await db.CircleMembers.Where(m => m.CircleId == id && m.MemberId == personId).Select(m => m.DisplayName).SingleOrDefaultAsync() is { } inCircle)
            return inCircle;
        // A member removed a moment ago has no membership row left; the log of the circle still names them as they were.
        if (circleId is { } circle
            && await db.CircleEvents.Where(e => e.CircleId == circle && e.MemberId == personId)
                .OrderByDescending(e => e.Seq).Select(e => e.DisplayName).FirstOrDefaultAsync() is { } written)
            return written;
        return await db.Users.Where(u => u.Id == personId).Select(u => u.DisplayName).SingleOrDefaultAsync();
    }

    public async Task<IReadOnlyList<AccessLogEntry>> ReadAboutAsync(
        string personId, long? beforeId, int max, bool withSignIns = true, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = db.AccessLog.AsNoTracking().Where(e =>
            (e.SubjectId == personId && e.ActorId != personId) || (e.ActorId == personId && e.CircleId == null));
        if (!withSignIns)
        {
            var signIns = AccessActions.SignIns.ToList();
            rows = rows.Where(e => !signIns.Contains(e.Action));
        }
        return await PageAsync(rows, beforeId, max, ct);
    }

    public async Task<IReadOnlyList<AccessLogEntry>> ReadCircleAsync(Guid circleId, long? beforeId, int max, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await PageAsync(db.AccessLog.AsNoTracking().Where(e => e.CircleId == circleId), beforeId, max, ct);
    }

    public async Task<IReadOnlyList<AccessLogEntry>> ReadSignInsAsync(string personId, int max, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var signIns = AccessActions.SignIns.ToList();
        return await PageAsync(db.AccessLog.AsNoTracking().Where(e => e.ActorId == personId && signIns.Contains(e.Action)), null, max, ct);
    }

    private static async Task<IReadOnlyList<AccessLogEntry>> PageAsync(IQueryable<AccessLogRecord> rows, long? beforeId, int max, CancellationToken ct)
    {
        if (beforeId is { } before) rows = rows.Where(e => e.Id < before);
        var page = await rows.OrderByDescending(e => e.Id).Take(Math.Clamp(max, 1, 200)).ToListAsync(ct);
        return page.Select(e => new AccessLogEntry(e.Id, e.At, e.ActorId, e.ActorName, e.Action, e.CircleId, e.CircleName,
            e.SubjectId, e.SubjectName, e.Detail)).ToList();
    }
}
