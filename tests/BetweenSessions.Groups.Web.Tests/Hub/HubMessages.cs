namespace BetweenSessions.Groups.Web.Tests.Hub;

// What the hub scenario scripts in tests/hub-client print, as the tests read it.

public sealed record HubEvent(
    Guid CircleId, long Seq, Guid EventId, string Type, DateTimeOffset At, string MemberId, string DisplayName,
    string Visibility, string? ClientEventId, string? Capacity, string[]? Feelings, string? Note);

public sealed record HubPresence(string MemberId, string DisplayName, string Role, bool Present);

public sealed record HubJoin(Guid CircleId, string Role, long LastSeq, List<HubPresence> Members, List<HubEvent> Events, bool HasMore);

public sealed record Ack(Guid EventId, long Seq);

public sealed record EventSummary(long Seq, string Type, string Visibility, string? Note);

/// <summary>A hub call that may fail: the value, or the error text the client got.</summary>
public sealed record Attempt<T>(bool Ok, T? Value, string? Error);

public sealed record PresenceMessage(Guid CircleId, List<string> MemberIds);
