using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Runtime;

namespace BetweenSessions.Groups.Grains.Circles;

/// <summary>
/// Owns one circle: its members and their roles, the ordered event log and live presence.
/// Every method checks the caller's membership; none trusts the caller to have checked.
/// </summary>
public interface ICircleGrain : IGrainWithGuidKey
{
    Task<CircleDetails> CreateAsync(string facilitatorId, string facilitatorDisplayName, string name);

    /// <summary>Joins with the circle's invite code; joining again returns the circle unchanged.</summary>
    Task<CircleDetails> JoinAsync(string memberId, string displayName, string inviteCode);

    Task<CircleDetails> GetDetailsAsync(string viewerId);

    // Every write below checks membership (and role where it says), validates, returns the original receipt for a
    // resent client event id, and acknowledges only once the entry is stored.

    Task<EventReceipt> CheckInAsync(string memberId, CheckInDraft draft);

    Task<EventReceipt> ShareWinAsync(string memberId, ShareWinDraft draft);

    /// <summary>Answers an entry the member can see; the answer has that entry's audience, and its author sees it.</summary>
    Task<EventReceipt> AcknowledgeAsync(string memberId, AcknowledgeDraft draft);

    Task<EventReceipt> MakeCommitmentAsync(string memberId, MakeCommitmentDraft draft);

    Task<EventReceipt> JoinCommitmentAsync(string memberId, JoinCommitmentDraft draft);

    /// <summary>By the commitment's owner or a co-practitioner; the entry has the commitment's audience.</summary>
    Task<EventReceipt> LogPracticeAsync(string memberId, LogPracticeDraft draft);

    Task<EventReceipt> BringToSessionAsync(string memberId, BringToSessionDraft draft);

    Task<EventReceipt> ReflectAsync(string memberId, ReflectDraft draft);

    /// <summary>Facilitators only; at most one round is open at a time.</summary>
    Task<EventReceipt> StartRoundAsync(string memberId, StartRoundDraft draft);

    /// <summary>Facilitators only.</summary>
    Task<EventReceipt> EndRoundAsync(string memberId, EndRoundDraft draft);

    Task<EventReceipt> RespondToRoundAsync(string memberId, RespondToRoundDraft draft);

    /// <summary>Always for the facilitators (and the author) only, whatever else is going on.</summary>
    Task<EventReceipt> RequestSupportAsync(string memberId, RequestSupportDraft draft);

    /// <summary>
    /// The member leaves: a "member-left" entry for the circle, then their membership ends (they can no longer read or
    /// write; what they wrote stays). The last facilitator cannot leave while others would be left without one.
    /// </summary>
    Task LeaveAsync(string memberId);

    /// <summary>
    /// Erases everything <paramref name="memberId"/> wrote in this circle, also after they left: a round they opened
    /// is closed, their commitments' own state is cleared, their entries become tombstones that name nobody and other
    /// people's entries lose the text they copied (see <see cref="ICircleStore.EraseAuthoredAsync"/>). Observers hear
    /// each change with its old seq. Safe to repeat: a repeat changes nothing that is already erased.
    /// </summary>
    Task EraseAuthoredAsync(string memberId);

    /// <summary>
    /// Every commitment event (made, joined, practice logged) the viewer may see, whatever its age: pages show all of
    /// a circle's commitments, while the recent-events window would drop the older ones.
    /// </summary>
    Task<IReadOnlyList<CircleEvent>> ReadCommitmentEventsAsync(string viewerMemberId);

    /// <summary>Events with seq &gt; afterSeq that the viewer may see, oldest first, at most max.</summary>
    Task<EventPage> ReadEventsAsync(string viewerId, long afterSeq, int max);

    /// <summary>Marks one connection of a member as present; returns who is present now.</summary>
    Task<IReadOnlyList<string>> ConnectAsync(string memberId, string connectionId);

    Task<IReadOnlyList<string>> DisconnectAsync(string memberId, string connectionId);

    Task SubscribeAsync(ICircleObserver observer);

    Task UnsubscribeAsync(ICircleObserver observer);
}

/// <summary>
/// Receives a circle's events after they are stored. Called on the grain's turn: implementations queue work and
/// return at once, and apply the audience rule (or rely on per-audience hub groups) before showing anything.
/// </summary>
public interface ICircleObserver : IGrainObserver
{
    /// <summary>
    /// A new event, or a stored one rewritten in place (same seq and id): replace what you hold for that seq.
    /// </summary>
    void OnCircleEvent(CircleEvent circleEvent);

    /// <summary>
    /// An entry was erased by its author: <paramref name="erased"/>.Tombstone replaces the event with its seq. The
    /// tombstone names nobody, so the audience rule alone would no longer reach its author (or subject) for a private
    /// or facilitators-only entry; <see cref="ErasedEntry.FormerAuthorId"/> and <see cref="ErasedEntry.FormerSubjectId"/>
    /// say who could see it. Forward the tombstone to whoever holds the entry, never those ids. By default this is
    /// an ordinary <see cref="OnCircleEvent"/> of the tombstone.
    /// </summary>
    void OnEntryErased(ErasedEntry erased) => OnCircleEvent(erased.Tombstone);

    void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds);
}
