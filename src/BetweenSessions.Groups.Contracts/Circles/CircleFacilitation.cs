using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>
/// How a circle is run, as its facilitators set it; stored with the circle's row. Every part is optional and null
/// means "as the deployment has it": alphabetical seats, the default round prompts, the configured crisis resources.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CircleFacilitation(
    DateTimeOffset? ArchivedAt = null,
    IReadOnlyList<CrisisContact>? CrisisResources = null,
    IReadOnlyList<string>? RoundPrompts = null,
    IReadOnlyList<string>? SeatingOrder = null,
    SessionSchedule? Schedule = null,
    IReadOnlyList<AlertAcknowledgement>? Acknowledged = null,
    IReadOnlyList<OfferedMeasure>? Measures = null)
{
    public static readonly CircleFacilitation Default = new();

    public bool IsArchived => ArchivedAt is not null;
}

/// <summary>An alert and the acknowledgement that answered it, so a second one is not stored.</summary>
[GenerateSerializer, Immutable]
public sealed record AlertAcknowledgement(Guid AlertEventId, Guid EventId, long Seq);

/// <summary>
/// The facilitator's view of a circle (facilitators only). Members are in seating order if one is set, otherwise
/// alphabetical: never by activity.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record FacilitationView(
    Guid CircleId,
    string Name,
    string InviteCode,
    DateTimeOffset? ArchivedAt,
    long LastSeq,
    IReadOnlyList<CircleMember> Members,
    bool SeatingOrderSet,
    IReadOnlyList<string> PresentMemberIds,
    OpenRound? OpenRound,
    IReadOnlyList<string> RoundPrompts,
    bool OwnRoundPrompts,
    IReadOnlyList<CrisisContact> CrisisResources,
    SessionSchedule? Schedule = null,
    IReadOnlyList<Session>? UpcomingSessions = null);

/// <summary>What every member may know about how their circle is run.</summary>
/// <param name="CrisisResources">The circle's own crisis resources; empty when the deployment's configured ones apply.</param>
[GenerateSerializer, Immutable]
public sealed record CircleSettingsView(
    Guid CircleId,
    string Name,
    CircleRole Role,
    DateTimeOffset? ArchivedAt,
    IReadOnlyList<CrisisContact> CrisisResources,
    Session? NextSession = null);

/// <summary>
/// Read-side queries over one circle's history for views that need more than a page of the log (the facilitator
/// dashboard). The viewer's membership and role are read from the store, never taken from the caller, and
/// <see cref="Audience.CanSee"/> applies to every row, exactly as for <see cref="ICircleStore.ReadEventsAsync"/>.
/// </summary>
public interface ICircleHistory
{
    /// <summary>
    /// Events the viewer may see, stored at or after <paramref name="since"/> (null: from the start) and of one of
    /// <paramref name="types"/> (null: every type), oldest first. A non-member gets nothing. With
    /// <paramref name="sharedOnly"/>, "private" entries are left out even where the viewer may see them (their own).
    /// </summary>
    Task<IReadOnlyList<CircleEvent>> ReadVisibleAsync(
        Guid circleId, string viewerId, DateTimeOffset? since, IReadOnlyCollection<string>? types, bool sharedOnly = false,
        CancellationToken ct = default);

    /// <summary>
    /// For each author, when the viewer last saw them write one of <paramref name="types"/> (the latest such entry the
    /// viewer may see). Authors with no such entry are absent. A non-member gets nothing. <paramref name="sharedOnly"/>
    /// as for <see cref="ReadVisibleAsync"/>.
    /// </summary>
    Task<IReadOnlyDictionary<string, DateTimeOffset>> LastVisibleByAuthorAsync(
        Guid circleId, string viewerId, IReadOnlyCollection<string> types, bool sharedOnly = false, CancellationToken ct = default);
}
