using BetweenSessions.Groups.Contracts.Circles;

namespace BetweenSessions.Groups.Contracts.Audit;

/// <summary>One thing to record: <paramref name="ActorId"/> did <paramref name="Action"/> (AccessActions) to what is
/// <paramref name="SubjectId"/>'s, in <paramref name="CircleId"/>. <paramref name="Detail"/> names no content (a
/// device, an address, a count).</summary>
[GenerateSerializer, Immutable]
public sealed record AccessRecord(string ActorId, string Action, Guid? CircleId = null, string? SubjectId = null, string? Detail = null);

/// <summary>A stored access-log entry, with the names as they were when it was written.</summary>
public sealed record AccessLogEntry(
    long Id, DateTimeOffset At, string ActorId, string? ActorName, string Action, Guid? CircleId, string? CircleName,
    string? SubjectId, string? SubjectName, string? Detail);

/// <summary>
/// The append-only access log. Appending completes once the entries are stored; the database itself refuses to
/// change or delete a stored entry (a trigger on every provider).
/// </summary>
public interface IAccessLog
{
    Task AppendAsync(IReadOnlyCollection<AccessRecord> records, CancellationToken ct = default);

    /// <summary>
    /// Records that <paramref name="viewer"/> read other people's facilitators-only entries or support requests among
    /// <paramref name="events"/>: one entry per person and kind, at most once per <see cref="OpenedWindow"/> for the
    /// same viewer, circle, person and kind (a live page reloads often; the log says who looked, not how often).
    /// </summary>
    Task RecordOpenedAsync(Guid circleId, EventViewer viewer, IEnumerable<CircleEvent> events, CancellationToken ct = default);

    /// <summary>What others did with <paramref name="personId"/>'s data, and their own account's doings (sign-ins, downloads), newest first.</summary>
    Task<IReadOnlyList<AccessLogEntry>> ReadAboutAsync(string personId, long? beforeId, int max, bool withSignIns = true, CancellationToken ct = default);

    /// <summary>Everything recorded in one circle, newest first.</summary>
    Task<IReadOnlyList<AccessLogEntry>> ReadCircleAsync(Guid circleId, long? beforeId, int max, CancellationToken ct = default);

    /// <summary>The person's own sign-ins (and failed attempts on their account), newest first.</summary>
    Task<IReadOnlyList<AccessLogEntry>> ReadSignInsAsync(string personId, int max, CancellationToken ct = default);

    public static readonly TimeSpan OpenedWindow = TimeSpan.FromMinutes(10);
}
