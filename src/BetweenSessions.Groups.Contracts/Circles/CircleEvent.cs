using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>
/// One entry in a circle's ordered log. Seq is per circle and strictly increasing; the payload is the type's own
/// JSON object (for a check-in: capacity, feelings, note), kept as text so storage does not depend on event types.
/// SubjectMemberId is the person the entry answers (see <see cref="Audience.CanSee"/>), who always sees it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CircleEvent(
    Guid CircleId,
    long Seq,
    Guid EventId,
    string Type,
    DateTimeOffset At,
    string MemberId,
    string DisplayName,
    Visibility Visibility,
    string? ClientEventId,
    string PayloadJson,
    string? SubjectMemberId = null)
{
    /// <summary>The name a tombstone shows instead of its author's (docs/realtime-api.md, "removed").</summary>
    public const string RemovedAuthorName = "Someone";

    /// <summary>
    /// The author id of a tombstone: nobody. Never a real member id, so <see cref="Audience.CanSee"/> lets nobody see a
    /// tombstone as its author, and an erased entry can no longer be traced to the person who wrote it.
    /// </summary>
    public const string RemovedAuthorId = "";

    /// <summary>What stays at the top of a facilitator's dashboard until acknowledged.</summary>
    public bool IsAlert =>
        Type == EventTypes.SupportRequested || Type == EventTypes.BroughtToSession && Visibility == Visibility.Facilitators;

    public bool IsVisibleTo(string viewerId, CircleRole viewerRole) =>
        Audience.CanSee(Visibility, MemberId, SubjectMemberId, viewerId, viewerRole);
}

/// <summary>What the author gets back once an event is durably stored.</summary>
[GenerateSerializer, Immutable]
public sealed record EventReceipt(Guid EventId, long Seq);

[GenerateSerializer, Immutable]
public sealed record EventPage(IReadOnlyList<CircleEvent> Events, bool HasMore);

/// <summary>Who is asking to read a circle's log, so the store can apply the audience rule in the query.</summary>
[GenerateSerializer, Immutable]
public sealed record EventViewer(string MemberId, CircleRole Role);
