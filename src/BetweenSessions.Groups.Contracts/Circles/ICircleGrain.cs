using BetweenSessions.Groups.Domain;
using Orleans.Concurrency;

namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>
/// Owns one circle: its members and their roles, the ordered event log and live presence.
/// Every method checks the caller's membership; none trusts the caller to have checked.
/// </summary>
public interface ICircleGrain : IGrainWithGuidKey
{
    Task<CircleDetails> CreateAsync(string facilitatorId, string facilitatorDisplayName, string name);

    /// <summary>Joins with the circle's invite code; joining again returns the circle unchanged.</summary>
    Task<CircleDetails> JoinAsync(string memberId, string displayName, string inviteCode);

    [AlwaysInterleave]
    Task<CircleDetails> GetDetailsAsync(string viewerId);

    // Every write below checks membership (and role where it says), validates, returns the original receipt for a
    // resent client event id, and acknowledges only once the entry is stored.
    //
    // [AlwaysInterleave] marks entries that only add to the log, and reads: a busy circle gathers the entries that
    // arrive while its previous commit is being stored into its next one. Every other call runs alone, after the
    // entries under way are stored (CircleGrain.Entries.cs).

    [AlwaysInterleave]
    Task<EventReceipt> CheckInAsync(string memberId, CheckInDraft draft);

    [AlwaysInterleave]
    Task<EventReceipt> ShareWinAsync(string memberId, ShareWinDraft draft);

    /// <summary>Answers an entry the member can see; the answer has that entry's audience, and its author sees it.</summary>
    [AlwaysInterleave]
    Task<EventReceipt> AcknowledgeAsync(string memberId, AcknowledgeDraft draft);

    Task<EventReceipt> MakeCommitmentAsync(string memberId, MakeCommitmentDraft draft);

    Task<EventReceipt> JoinCommitmentAsync(string memberId, JoinCommitmentDraft draft);

    /// <summary>
    /// Turns the member's own quiet reminder at a commitment's cue time on or off. Only for a commitment they can see
    /// and practise (made or joined); on needs a cue time and a circle that is not archived. No entry: it is private.
    /// </summary>
    Task SetCommitmentReminderAsync(string memberId, SetCommitmentReminderDraft draft);

    /// <summary>By the commitment's owner or a co-practitioner; the entry has the commitment's audience.</summary>
    [AlwaysInterleave]
    Task<EventReceipt> LogPracticeAsync(string memberId, LogPracticeDraft draft);

    [AlwaysInterleave]
    Task<EventReceipt> BringToSessionAsync(string memberId, BringToSessionDraft draft);

    [AlwaysInterleave]
    Task<EventReceipt> ReflectAsync(string memberId, ReflectDraft draft);

    /// <summary>Facilitators only; at most one round is open at a time.</summary>
    Task<EventReceipt> StartRoundAsync(string memberId, StartRoundDraft draft);

    /// <summary>Facilitators only.</summary>
    Task<EventReceipt> EndRoundAsync(string memberId, EndRoundDraft draft);

    [AlwaysInterleave]
    Task<EventReceipt> RespondToRoundAsync(string memberId, RespondToRoundDraft draft);

    /// <summary>Always for the facilitators (and the author) only, whatever else is going on.</summary>
    [AlwaysInterleave]
    Task<EventReceipt> RequestSupportAsync(string memberId, RequestSupportDraft draft);

    /// <summary>
    /// The person who asked adds to their own request: the note joins it on every dashboard (no second alert), and a
    /// request already acknowledged waits for the facilitators again. Refused for someone else's or a withdrawn request.
    /// </summary>
    Task<EventReceipt> AddSupportNoteAsync(string memberId, AddSupportNoteDraft draft);

    /// <summary>
    /// The person who asked takes their request back within <see cref="SupportRequests.WithdrawWindow"/>: it leaves
    /// every dashboard's waiting list and the facilitators' nudges. Withdrawing again returns the first receipt.
    /// </summary>
    Task<EventReceipt> WithdrawSupportAsync(string memberId, WithdrawSupportDraft draft);

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
    [AlwaysInterleave]
    Task<IReadOnlyList<CircleEvent>> ReadCommitmentEventsAsync(string viewerMemberId);

    // Facilitation (docs/realtime-api.md, "Facilitation"). Facilitators only, through the same frame as every write;
    // an archived circle refuses them all, as it refuses every write.

    Task<EventReceipt> RenameAsync(string memberId, RenameCircleDraft draft);

    /// <summary>Makes the circle read-only for everyone; members can still read and download what they wrote.</summary>
    Task<EventReceipt> ArchiveAsync(string memberId, ArchiveCircleDraft draft);

    /// <summary>Opens an archived circle again: everyone can share, join and meet as before.</summary>
    Task<EventReceipt> ReopenAsync(string memberId, ReopenCircleDraft draft);

    /// <summary>A fresh invite code; the old one stops working at once.</summary>
    Task<EventReceipt> NewInviteCodeAsync(string memberId, NewInviteCodeDraft draft);

    /// <summary>Ends another person's membership at once: they can no longer read or write here; what they wrote stays.</summary>
    Task<EventReceipt> RemoveMemberAsync(string memberId, RemoveMemberDraft draft);

    Task<EventReceipt> AddCoFacilitatorAsync(string memberId, AddCoFacilitatorDraft draft);

    Task<EventReceipt> SetRoundPromptsAsync(string memberId, SetRoundPromptsDraft draft);

    /// <summary>Overrides the configured crisis resources for this circle; an empty list goes back to them.</summary>
    Task<EventReceipt> SetCrisisResourcesAsync(string memberId, SetCrisisResourcesDraft draft);

    Task<EventReceipt> SetSeatingOrderAsync(string memberId, SetSeatingOrderDraft draft);

    /// <summary>Sets or clears when the circle meets; single-session changes made before stay.</summary>
    Task<EventReceipt> SetSessionScheduleAsync(string memberId, SetSessionScheduleDraft draft);

    /// <summary>Moves, cancels or adds one session.</summary>
    Task<EventReceipt> ChangeSessionAsync(string memberId, ChangeSessionDraft draft);

    /// <summary>Any member: the circle's next sessions (one under way included), earliest first; empty without a schedule.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<Session>> GetUpcomingSessionsAsync(string viewerId, int count);

    /// <summary>Marks an item brought to the session for the whole circle as discussed.</summary>
    Task<EventReceipt> MarkDiscussedAsync(string memberId, MarkDiscussedDraft draft);

    /// <summary>Acknowledges a support request, or an item brought to the session for the facilitators only.</summary>
    Task<EventReceipt> AcknowledgeAlertAsync(string memberId, AcknowledgeAlertDraft draft);

    // Measures (docs/measures.md). Nothing here ever returns two people's answers together.

    /// <summary>Facilitators only: offers a clinic's measure to the circle, asked no more often than its recall period.</summary>
    Task<EventReceipt> OfferMeasureAsync(string memberId, OfferMeasureDraft draft);

    /// <summary>Facilitators only: nobody is asked again; the answers stay with the people who gave them.</summary>
    Task<EventReceipt> RetireMeasureAsync(string memberId, RetireMeasureDraft draft);

    /// <summary>Opts in to an offered measure, or changes whether the member's facilitators may read their trend.</summary>
    Task<EventReceipt> OptInMeasureAsync(string memberId, OptInMeasureDraft draft);

    /// <summary>Stops answering a measure: no more reminders, and facilitators no longer read the trend.</summary>
    Task<EventReceipt> StopMeasureAsync(string memberId, StopMeasureDraft draft);

    /// <summary>
    /// Stores one set of answers (any item skipped, or "not this week") to a measure the member opted in to, as an entry
    /// only they can see. A safety item at or above its threshold raises a support request in the same commit.
    /// </summary>
    Task<MeasureAnswerReceipt> AnswerMeasureAsync(string memberId, AnswerMeasureDraft draft);

    /// <summary>The session pulse, only while that session's time to reflect is open; the latest answer per session counts.</summary>
    Task<EventReceipt> AnswerPulseAsync(string memberId, SessionPulseDraft draft);

    /// <summary>
    /// One person's measures: the viewer's own (<paramref name="memberId"/> null or theirs), or, for a facilitator, one
    /// member's, with only what that member shares with them.
    /// </summary>
    [AlwaysInterleave]
    Task<MeasuresView> GetMeasuresAsync(string viewerId, string? memberId = null);

    /// <summary>Facilitators only: the circle's pulse distributions for its latest sessions that have any, newest first.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<PulseSummary>> GetPulseSummariesAsync(string facilitatorId, int count);

    /// <summary>Facilitators only: the circle as they run it.</summary>
    [AlwaysInterleave]
    Task<FacilitationView> GetFacilitationAsync(string facilitatorId);

    /// <summary>Any member: whether the circle is archived, and its own crisis resources.</summary>
    [AlwaysInterleave]
    Task<CircleSettingsView> GetSettingsAsync(string viewerId);

    /// <summary>Events with seq &gt; afterSeq that the viewer may see, oldest first, at most max.</summary>
    [AlwaysInterleave]
    Task<EventPage> ReadEventsAsync(string viewerId, long afterSeq, int max);

    /// <summary>Marks one connection of a member as present; returns who is present now.</summary>
    [AlwaysInterleave]
    Task<IReadOnlyList<string>> ConnectAsync(string memberId, string connectionId);

    [AlwaysInterleave]
    Task<IReadOnlyList<string>> DisconnectAsync(string memberId, string connectionId);

    /// <summary>
    /// Subscribes (or renews) an observer for <see cref="CircleSubscription.Lifetime"/>; returns the seq of the last
    /// stored event, so the subscriber can read from the log whatever it has not heard (a gap after a restart).
    /// </summary>
    [AlwaysInterleave]
    Task<long> SubscribeAsync(ICircleObserver observer);

    [AlwaysInterleave]
    Task UnsubscribeAsync(ICircleObserver observer);
}

public static class CircleSubscription
{
    /// <summary>
    /// An observer not renewed for this long is dropped (its host may be gone); subscribers renew well within it.
    /// </summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
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
