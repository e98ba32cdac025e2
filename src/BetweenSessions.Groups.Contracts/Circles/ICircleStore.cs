
namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>The persisted part of a circle that its grain loads on activation.</summary>
[GenerateSerializer, Immutable]
public sealed record CircleSnapshot(
    Guid CircleId,
    string Name,
    string InviteCode,
    DateTimeOffset CreatedAt,
    long LastSeq,
    IReadOnlyList<CircleMember> Members,
    long Version,
    OpenRound? OpenRound = null,
    CircleFacilitation? Facilitation = null);

/// <summary>The check-in round a facilitator has open, if any: at most one per circle.</summary>
[GenerateSerializer, Immutable]
public sealed record OpenRound(Guid RoundId, string Prompt, DateTimeOffset StartedAt, string StartedBy);

/// <summary>
/// One atomic write of a circle: its row, any new or changed members, and new events. ExpectedVersion is the
/// version the grain loaded (0 for a circle that does not exist yet); the store bumps it by one. OpenRound is the
/// circle's open round after this commit (null: none), stored with the circle's row. RemoveMembers are member ids
/// whose membership ends with this commit (leaving); their events stay in the log. Facilitation is the circle's
/// settings after this commit, or null when this commit leaves them as they are. Access is what the access log
/// records about this change, stored in the same transaction, so the change is never stored without it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record CircleCommit(
    Guid CircleId,
    long ExpectedVersion,
    string Name,
    string InviteCode,
    DateTimeOffset CreatedAt,
    long LastSeq,
    IReadOnlyList<CircleMember> UpsertMembers,
    IReadOnlyList<CircleEvent> Events,
    OpenRound? OpenRound = null,
    IReadOnlyList<string>? RemoveMembers = null,
    CircleFacilitation? Facilitation = null,
    IReadOnlyList<Audit.AccessRecord>? Access = null);

/// <summary>
/// The outcome of <see cref="ICircleStore.CommitEntriesAsync"/>: the new version once every entry is stored; or, when
/// some were stored before (resends), nothing written, the version unchanged, and for each entry of the commit, in
/// order, its earlier receipt or null.
/// </summary>
[GenerateSerializer, Immutable]
public readonly record struct EntryCommit(long Version, IReadOnlyList<EventReceipt?>? Earlier);

/// <summary>
/// Storage port of <see cref="CircleGrain"/>: the grain's state with a version token plus its event log
/// (the shape of an Orleans JournaledGrain with a custom storage provider).
/// </summary>
public interface ICircleStore
{
    Task<CircleSnapshot?> LoadAsync(Guid circleId, CancellationToken ct = default);

    /// <summary>
    /// Stores the commit atomically and returns the new version once it is durable.
    /// Throws <see cref="InconsistentStateException"/> when the stored version is not ExpectedVersion.
    /// </summary>
    Task<long> CommitAsync(CircleCommit commit, CancellationToken ct = default);

    /// <summary>
    /// <see cref="CommitAsync"/> for new entries, unless an author already stored one of them by its client event id
    /// (<see cref="FindByClientEventIdAsync"/>'s rule): then nothing at all is written, and the earlier receipts come
    /// back with the version unchanged. The check runs in the commit's own transaction, so it sees every commit before.
    /// </summary>
    Task<EntryCommit> CommitEntriesAsync(CircleCommit commit, CancellationToken ct = default);

    /// <summary>Events with seq &gt; afterSeq that the viewer may see, oldest first, at most max.</summary>
    Task<IReadOnlyList<CircleEvent>> ReadEventsAsync(
        Guid circleId, EventViewer viewer, long afterSeq, int max, CancellationToken ct = default);

    /// <summary>
    /// Events with seq &gt; afterSeq whatever their audience, oldest first, at most max: for subscribers that catch up
    /// on what a push did not bring and apply the audience rule themselves before anything is shown.
    /// </summary>
    Task<IReadOnlyList<CircleEvent>> ReadLogAsync(Guid circleId, long afterSeq, int max, CancellationToken ct = default);

    /// <summary>One stored event by id, whoever may see it (the caller applies the audience rule), or null.</summary>
    Task<CircleEvent?> FindEventAsync(Guid circleId, Guid eventId, CancellationToken ct = default);

    /// <summary>
    /// The receipt of an event already stored for this author and client event id, for idempotent resends; also of an
    /// entry they have since erased (its tombstone keeps <see cref="Erasure.ErasedClientEventId"/>), so a resend
    /// cannot bring erased text back.
    /// </summary>
    Task<EventReceipt?> FindByClientEventIdAsync(
        Guid circleId, string memberId, string clientEventId, CancellationToken ct = default);

    /// <summary>
    /// Everything the viewer may see of the circle's commitments (<see cref="Domain.EventTypes.Commitment"/>), whatever
    /// its age, oldest first, with the audience rule applied like <see cref="ReadEventsAsync"/>.
    /// </summary>
    Task<IReadOnlyList<CircleEvent>> ReadCommitmentEventsAsync(Guid circleId, EventViewer viewer, CancellationToken ct = default);

    /// <summary>
    /// The events of the given types that <paramref name="memberId"/> wrote in the circle and has not erased, whatever
    /// their audience and whether or not they are still a member: for erasing, never for showing.
    /// </summary>
    Task<IReadOnlyList<CircleEvent>> ReadAuthoredAsync(
        Guid circleId, string memberId, IReadOnlyCollection<string> types, CancellationToken ct = default);

    /// <summary>
    /// Every event of the given types in the circle, whoever wrote it and whatever its audience, oldest first: for the
    /// circle's own reckoning (a pulse distribution), never for showing as they are.
    /// </summary>
    Task<IReadOnlyList<CircleEvent>> ReadOfTypesAsync(
        Guid circleId, IReadOnlyCollection<string> types, CancellationToken ct = default);

    /// <summary>
    /// Erases, in one transaction, everything <paramref name="memberId"/> wrote in the circle: each of their events
    /// becomes <see cref="Erasure.Tombstone"/> in place (seq, event id, time and audience stay), and other people's
    /// entries lose the text they copied from them (<see cref="Erasure.WithoutCopiedText"/>). Does not change the
    /// circle's version. Returns only what changed now: erasing again returns <see cref="ErasureResult.Nothing"/>
    /// unless something new appeared. Both lists are oldest first.
    /// </summary>
    Task<ErasureResult> EraseAuthoredAsync(Guid circleId, string memberId, CancellationToken ct = default);
}

/// <summary>Read-side queries across circles that no single grain owns.</summary>
public interface ICircleDirectory
{
    Task<Guid?> FindByInviteCodeAsync(string normalizedInviteCode, CancellationToken ct = default);

    Task<IReadOnlyList<MyCircle>> ListForMemberAsync(string memberId, CancellationToken ct = default);

    /// <summary>
    /// Every event <paramref name="memberId"/> authored, in every circle they are or were in, whatever its audience:
    /// for their own export only. By circle, then seq. Erased entries are not among them: their tombstones name nobody.
    /// </summary>
    Task<IReadOnlyList<AuthoredEvent>> ListAuthoredAsync(string memberId, CancellationToken ct = default);
}

[GenerateSerializer, Immutable]
public sealed record AuthoredEvent(string CircleName, CircleEvent Event);

[GenerateSerializer, Immutable]
public sealed record MyCircle(Guid CircleId, string Name, Domain.CircleRole Role, DateTimeOffset JoinedAt);
