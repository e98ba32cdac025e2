namespace BetweenSessions.Groups.Domain;

/// <summary>The types of entries in a circle's event log, as they appear on the wire (docs/realtime-api.md).</summary>
public static class EventTypes
{
    public const string CircleCreated = "circle-created";
    public const string MemberJoined = "member-joined";
    public const string CheckIn = "check-in";
    public const string WinShared = "win-shared";
    public const string Acknowledged = "acknowledged";
    public const string CommitmentMade = "commitment-made";
    public const string CommitmentJoined = "commitment-joined";
    public const string PracticeLogged = "practice-logged";
    public const string BroughtToSession = "brought-to-session";
    public const string Reflected = "reflected";
    public const string RoundStarted = "round-started";
    public const string RoundEnded = "round-ended";
    public const string RoundAnswered = "round-answered";
    public const string SupportRequested = "support-requested";
    /// <summary>The person who asked added a note to their request (targetEventId); it joins it, no second alert.</summary>
    public const string SupportNoteAdded = "support-note-added";
    /// <summary>The person who asked took their request (targetEventId) back, within a short while of sending it.</summary>
    public const string SupportWithdrawn = "support-withdrawn";
    public const string MemberLeft = "member-left";

    // Facilitation: how a circle is run. Each is written by a facilitator through the same durable, idempotent frame
    // as every entry, so every page and app hears about the change as it happens.
    public const string CircleRenamed = "circle-renamed";
    public const string CircleArchived = "circle-archived";
    /// <summary>An archived circle opened again (archiving by mistake, or a group that resumes).</summary>
    public const string CircleReopened = "circle-reopened";
    /// <summary>Facilitators only; the payload never carries the code itself.</summary>
    public const string InviteCodeChanged = "invite-code-changed";
    /// <summary>A facilitator ended someone's membership; the removed person is its subject.</summary>
    public const string MemberRemoved = "member-removed";
    /// <summary>A member became a co-facilitator; they are its subject.</summary>
    public const string FacilitatorAdded = "facilitator-added";
    public const string RoundPromptsSet = "round-prompts-set";
    public const string CrisisResourcesSet = "crisis-resources-set";
    public const string SeatingOrderSet = "seating-order-set";
    /// <summary>The circle's rhythm of sessions was set or cleared; for the whole circle.</summary>
    public const string SessionScheduleSet = "session-schedule-set";
    /// <summary>One session was moved, cancelled or added; for the whole circle.</summary>
    public const string SessionChanged = "session-changed";
    /// <summary>An opening agenda item (something brought to the session) was discussed in the room.</summary>
    public const string AgendaItemDiscussed = "agenda-item-discussed";
    /// <summary>A facilitator acknowledged a support request or an item flagged for the facilitators.</summary>
    public const string AlertAcknowledged = "alert-acknowledged";

    // Measures a person chooses (docs/measures.md). The definitions live with the circle's settings; answers are always
    // the author's alone in the log, and a facilitator reads a consenting member's trend only through that member's view.
    /// <summary>A facilitator offered a clinic's measure to the circle (the definition and how often it is asked).</summary>
    public const string MeasureOffered = "measure-offered";
    /// <summary>A facilitator stopped offering a measure (measureId); answers stay with the people who gave them.</summary>
    public const string MeasureRetired = "measure-retired";
    /// <summary>A member opted in to a measure, or changed whom they share it with; facilitators see it only when shared.</summary>
    public const string MeasureOptedIn = "measure-opted-in";
    /// <summary>A member stopped answering a measure; the same audience as their opt-in.</summary>
    public const string MeasureStopped = "measure-stopped";
    /// <summary>A member's answers to a measure, with their own score and band; always private to them.</summary>
    public const string MeasureAnswered = "measure-answered";
    /// <summary>A member's session pulse; always private to them (facilitators see only distributions of three or more).</summary>
    public const string SessionPulse = "session-pulse";

    /// <summary>
    /// A tombstone: the author erased what they wrote. The row keeps its seq, id, time and audience (so replays stay
    /// gap-free); type, payload, name, author and subject go, and its client event id is kept only in a form that a
    /// resend by its author can match (see Grains' Erasure).
    /// </summary>
    public const string Removed = "removed";

    /// <summary>Everything that tells a commitment's story: made, practised together, and how practice went (letting go too).</summary>
    public static readonly IReadOnlySet<string> Commitment = new HashSet<string> { CommitmentMade, CommitmentJoined, PracticeLogged };

    /// <summary>Everything about measures: shown on the measures views, never as items of a feed.</summary>
    public static readonly IReadOnlySet<string> Measure = new HashSet<string>
    {
        MeasureOffered, MeasureRetired, MeasureOptedIn, MeasureStopped, MeasureAnswered, SessionPulse,
    };

    /// <summary>What a person can answer with presence; joins, round bookkeeping and answers themselves are not.</summary>
    public static readonly IReadOnlySet<string> Acknowledgeable = new HashSet<string>
    {
        CheckIn, WinShared, CommitmentMade, PracticeLogged, BroughtToSession, Reflected, RoundAnswered,
    };
}
