using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>
/// A measure a circle's facilitators offered: the clinic's definition and how often members who opt in are asked.
/// Kept with the circle's settings; a retired one stays, so the answers given to it can still be read by their author.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OfferedMeasure(
    Guid MeasureId, MeasureDefinition Definition, int EveryDays, DateTimeOffset OfferedAt, DateTimeOffset? RetiredAt = null)
{
    public bool IsOffered => RetiredAt is null;
}

/// <summary>A member's choice for one measure: since when, and whether their facilitators may read their trend.</summary>
[GenerateSerializer, Immutable]
public sealed record MeasureConsent(DateTimeOffset Since, bool SharedWithFacilitators);

/// <summary>
/// One set of answers of one person. <see cref="Score"/> and <see cref="Band"/> only when every item was answered;
/// <see cref="Answered"/> says how many were. "Not this week" is a full answer with no items.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeasureAnswer(Guid EventId, DateTimeOffset At, bool NotThisWeek, int? Score, string? Band, int Answered);

/// <summary>
/// One measure as one person's view shows it: the definition, that person's choice (null: not opted in) and their
/// answers, oldest first. <see cref="NextDue"/>: when they will next be asked (null when not opted in or retired).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PersonMeasure(
    OfferedMeasure Measure, MeasureConsent? Consent, IReadOnlyList<MeasureAnswer> Answers, DateTimeOffset? NextDue);

/// <summary>A session pulse as its author gave it.</summary>
[GenerateSerializer, Immutable]
public sealed record PulseAnswer(Guid EventId, string Session, DateTimeOffset At, int? Heard, int? Safe, int? Mattered, string? Word);

/// <summary>
/// One person's measures. For the person themself: every measure offered (and the retired ones they answered), their
/// pulses, and the session whose pulse is open now. For a facilitator reading a member: only the measures that member
/// shares with them, and nothing of their pulses.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeasuresView(
    string MemberId,
    string DisplayName,
    IReadOnlyList<PersonMeasure> Measures,
    IReadOnlyList<PulseAnswer> Pulses,
    Session? PulseOpenFor);

/// <summary>
/// How the circle's pulses went for one session, as distributions only: for each question, how many answered each step
/// from 1 to 5, and null when fewer than <see cref="AnswerDistribution.MinimumAnswers"/> answered it. Never who.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PulseSummary(
    string Session,
    int Answers,
    IReadOnlyDictionary<int, int>? Heard,
    IReadOnlyDictionary<int, int>? Safe,
    IReadOnlyDictionary<int, int>? Mattered);

/// <summary>
/// The receipt of a measure's answers, with what they say to the person who gave them. When a safety item was answered
/// at or above its threshold, <see cref="SupportRequest"/> is the support request raised with it (same commit).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeasureAnswerReceipt(Guid EventId, long Seq, int? Score, string? Band, bool NeedsSupportNow, EventReceipt? SupportRequest);

/// <summary>
/// Reads one person's measure entries (opt-ins, stops, answers: what they wrote, never anyone else's) into their choice,
/// their answers and when they are next asked. Pure, so the circle and the reminders reckon alike.
/// </summary>
public static class MeasureHistory
{
    public static readonly IReadOnlyCollection<string> Types =
        [EventTypes.MeasureOptedIn, EventTypes.MeasureStopped, EventTypes.MeasureAnswered];

    /// <summary>The person's choice now: their latest opt-in, unless they stopped after it.</summary>
    public static MeasureConsent? ConsentOf(Guid measureId, IEnumerable<CircleEvent> authored) =>
        authored.Where(e => e.Type is EventTypes.MeasureOptedIn or EventTypes.MeasureStopped)
            .Select(e => (Event: e, Choice: EventPayload.Read<MeasureChoicePayload>(e.PayloadJson)))
            .Where(c => c.Choice?.MeasureId == measureId)
            // Not MaxBy: over value tuples it throws on an empty sequence (someone who never chose) instead of giving default.
            .OrderBy(c => c.Event.Seq).LastOrDefault() is { Event.Type: EventTypes.MeasureOptedIn } optIn
            ? new MeasureConsent(optIn.Event.At, optIn.Choice!.ShareWithFacilitators)
            : null;

    public static IReadOnlyList<MeasureAnswer> AnswersOf(Guid measureId, IEnumerable<CircleEvent> authored) =>
        authored.Where(e => e.Type == EventTypes.MeasureAnswered).OrderBy(e => e.Seq)
            .Select(e => (Event: e, Answer: EventPayload.Read<MeasureAnsweredPayload>(e.PayloadJson)))
            .Where(a => a.Answer?.MeasureId == measureId)
            .Select(a => new MeasureAnswer(a.Event.EventId, a.Event.At, a.Answer!.NotThisWeek, a.Answer.Score, a.Answer.Band,
                a.Answer.Answers?.Count(x => x is not null) ?? 0))
            .ToList();

    /// <summary>
    /// When the person is next asked: a period after their latest answer since opting in, or now if they have not
    /// answered since. Null when they are not opted in or the measure is no longer offered.
    /// </summary>
    public static DateTimeOffset? NextDue(OfferedMeasure measure, MeasureConsent? consent, IReadOnlyList<MeasureAnswer> answers)
    {
        if (consent is null || !measure.IsOffered) return null;
        return answers.LastOrDefault(a => a.At >= consent.Since) is { } last ? last.At.AddDays(measure.EveryDays) : consent.Since;
    }

    /// <summary>
    /// When a reminder is due: at <see cref="NextDue"/>, but a day after opting in for a first answer (they may well
    /// answer there and then), and a period on from a due time already passed, so someone who does not answer hears once a
    /// period at most.
    /// </summary>
    public static DateTimeOffset? NextReminder(OfferedMeasure measure, MeasureConsent? consent, IReadOnlyList<MeasureAnswer> answers,
        DateTimeOffset now)
    {
        if (NextDue(measure, consent, answers) is not { } due) return null;
        if (due == consent!.Since) due = due.AddDays(1);
        while (due <= now) due = due.AddDays(measure.EveryDays);
        return due;
    }
}

/// <summary>The payload of measure-opted-in and measure-stopped.</summary>
public sealed record MeasureChoicePayload(Guid MeasureId, bool ShareWithFacilitators);

/// <summary>The payload of measure-answered: the answers as given (null: skipped), and what they read as then.</summary>
public sealed record MeasureAnsweredPayload(Guid MeasureId, bool NotThisWeek, IReadOnlyList<int?>? Answers, int? Score, string? Band,
    bool NeedsSupportNow);

/// <summary>The payload of session-pulse.</summary>
public sealed record SessionPulsePayload(string Session, int? Heard, int? Safe, int? Mattered, string? Word);
