namespace BetweenSessions.Groups.Domain;

// Drafts of every entry a member can write, as a client sends them, and their validated forms. Validation collects
// every broken rule at once, keyed by the wire name of the field, so a client can show them next to their inputs.

/// <summary>A validated entry; its client event id makes a resend idempotent.</summary>
public interface IValidEntry
{
    string? ClientEventId { get; }
}

/// <summary>A supportive answer to another entry. Never counted or shown as a score.</summary>
public static class AcknowledgementKinds
{
    public const string WithYou = "with-you";
    public const string MeToo = "me-too";
    public const string GladYouShared = "glad-you-shared";
    public const string ThankYou = "thank-you";

    public static readonly IReadOnlyList<string> All = [WithYou, MeToo, GladYouShared, ThankYou];

    public static string Describe(string kind) => kind switch
    {
        WithYou => "is with you",
        MeToo => "feels this too",
        GladYouShared => "is glad you shared",
        ThankYou => "says thank you",
        _ => kind,
    };
}

/// <summary>How a practice went. Resting and letting go are full, valid outcomes, not failures.</summary>
public static class PracticeOutcomes
{
    public const string Practised = "practised";
    public const string Adapted = "adapted";
    public const string Rested = "rested";
    public const string LetGo = "let-go";

    public static readonly IReadOnlyList<string> All = [Practised, Adapted, Rested, LetGo];
}

[GenerateSerializer, Immutable]
public sealed record ShareWinDraft(string? ClientEventId, string? Text, string? Visibility)
{
    public ValidText Validate()
    {
        var v = new Validation();
        var result = new ValidText(v.ClientEventId(ClientEventId), v.RequiredText("text", Text, Limits.Text, "Win"), v.Visibility(Visibility));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record BringToSessionDraft(string? ClientEventId, string? Text, string? Visibility)
{
    public ValidText Validate()
    {
        var v = new Validation();
        var result = new ValidText(v.ClientEventId(ClientEventId), v.RequiredText("text", Text, Limits.Text, "Bring"), v.Visibility(Visibility));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidText(string? ClientEventId, string Text, Visibility Visibility) : IValidEntry;

[GenerateSerializer, Immutable]
public sealed record AcknowledgeDraft(string? ClientEventId, Guid? EventId, string? Kind)
{
    public ValidAcknowledgement Validate()
    {
        var v = new Validation();
        var result = new ValidAcknowledgement(v.ClientEventId(ClientEventId), v.Id("eventId", EventId, "AnsweredEntry"),
            v.OneOf("kind", Kind, AcknowledgementKinds.All, "Kind", k => k)!);
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidAcknowledgement(string? ClientEventId, Guid EventId, string Kind) : IValidEntry;

/// <summary>
/// A commitment. <paramref name="CueTime"/> is optional: a time of day, "HH:mm" (24 hours), read in each
/// practitioner's own time zone. <paramref name="RemindMe"/> is the maker's own choice of a quiet reminder then.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MakeCommitmentDraft(
    string? ClientEventId, string? Practice, string? Cue, string? Size, string? Visibility, string? CueTime = null, bool? RemindMe = null)
{
    public ValidCommitment Validate()
    {
        var v = new Validation();
        var cueTime = v.CueTime("cueTime", CueTime);
        var remindMe = RemindMe ?? false;
        v.Check(!remindMe || cueTime is not null || !string.IsNullOrWhiteSpace(CueTime), "remindMe",
            CommitmentCue.NoTimeToRemind);
        var result = new ValidCommitment(v.ClientEventId(ClientEventId),
            v.RequiredText("practice", Practice, Limits.Text, "Practice"),
            v.RequiredText("cue", Cue, Limits.Text, "Cue"),
            v.OptionalText("size", Size, Limits.Text, "Size"),
            v.Visibility(Visibility), cueTime, remindMe);
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidCommitment(
    string? ClientEventId, string Practice, string Cue, string? Size, Visibility Visibility, TimeOnly? CueTime = null, bool RemindMe = false)
    : IValidEntry;

/// <summary>Joining a commitment; <paramref name="RemindMe"/> asks for its quiet reminder (it needs a cue time).</summary>
[GenerateSerializer, Immutable]
public sealed record JoinCommitmentDraft(string? ClientEventId, Guid? CommitmentId, bool? RemindMe = null)
{
    public ValidCommitmentRef Validate()
    {
        var v = new Validation();
        var result = new ValidCommitmentRef(v.ClientEventId(ClientEventId), v.Id("commitmentId", CommitmentId, "CommitmentId"), RemindMe ?? false);
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidCommitmentRef(string? ClientEventId, Guid CommitmentId, bool RemindMe = false) : IValidEntry;

/// <summary>
/// Turns one's own quiet reminder for a commitment one practises on or off. Private: no entry, nobody else sees it.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SetCommitmentReminderDraft(Guid? CommitmentId, bool? RemindMe)
{
    public ValidCommitmentReminder Validate()
    {
        var v = new Validation();
        var id = v.Id("commitmentId", CommitmentId, "CommitmentId");
        v.Check(RemindMe is not null, "remindMe", DomainText.Get("Commitment.RemindMe"));
        v.ThrowIfInvalid();
        return new ValidCommitmentReminder(id, RemindMe!.Value);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidCommitmentReminder(Guid CommitmentId, bool RemindMe);

/// <summary>A commitment's cue time: written and shown the same way everywhere.</summary>
public static class CommitmentCue
{
    public static string NoTimeToRemind => DomainText.Get("Commitment.NoTimeToRemind");

    /// <summary>How the time is stored and sent: "HH:mm".</summary>
    public static string ToWire(TimeOnly time) => time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);

    public static TimeOnly? Parse(string? wire) =>
        TimeOnly.TryParseExact(wire?.Trim(), ["HH:mm", "H:mm"], System.Globalization.CultureInfo.InvariantCulture,
            System.Globalization.DateTimeStyles.None, out var time) ? time : null;

    /// <summary>"8:00", "19:30": the way the item and the reminder say it ("around 8:00").</summary>
    public static string Describe(TimeOnly time) => time.ToString("H:mm", System.Globalization.CultureInfo.InvariantCulture);
}

[GenerateSerializer, Immutable]
public sealed record LogPracticeDraft(string? ClientEventId, Guid? CommitmentId, string? Outcome, string? Note)
{
    public ValidPractice Validate()
    {
        var v = new Validation();
        var result = new ValidPractice(v.ClientEventId(ClientEventId), v.Id("commitmentId", CommitmentId, "CommitmentId"),
            v.OneOf("outcome", Outcome, PracticeOutcomes.All, "Outcome", o => o)!,
            v.OptionalText("note", Note, Limits.Note, "Note"));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidPractice(string? ClientEventId, Guid CommitmentId, string Outcome, string? Note) : IValidEntry;

/// <summary>The reflection right after a session: gentle, optional prompts; nothing has to be completed.</summary>
[GenerateSerializer, Immutable]
public sealed record ReflectDraft(string? ClientEventId, string? Important, string? StillWithMe, string? ToNotice, string? Visibility)
{
    public ValidReflection Validate()
    {
        var v = new Validation();
        var result = new ValidReflection(v.ClientEventId(ClientEventId),
            v.OptionalText("important", Important, Limits.Text, "Important"),
            v.OptionalText("stillWithMe", StillWithMe, Limits.Text, "StillWithMe"),
            v.OptionalText("toNotice", ToNotice, Limits.Text, "ToNotice"),
            v.Visibility(Visibility));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidReflection(string? ClientEventId, string? Important, string? StillWithMe, string? ToNotice, Visibility Visibility) : IValidEntry;

[GenerateSerializer, Immutable]
public sealed record StartRoundDraft(string? ClientEventId, string? Prompt)
{
    public ValidRoundStart Validate()
    {
        var v = new Validation();
        var result = new ValidRoundStart(v.ClientEventId(ClientEventId), v.RequiredText("prompt", Prompt, Limits.RoundPrompt, "RoundPrompt"));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidRoundStart(string? ClientEventId, string Prompt) : IValidEntry;

[GenerateSerializer, Immutable]
public sealed record EndRoundDraft(string? ClientEventId, Guid? RoundId)
{
    public ValidRoundRef Validate()
    {
        var v = new Validation();
        var result = new ValidRoundRef(v.ClientEventId(ClientEventId), v.Id("roundId", RoundId, "RoundId"));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidRoundRef(string? ClientEventId, Guid RoundId) : IValidEntry;

/// <summary>An answer in a live round. Passing is a full answer and needs nothing else.</summary>
[GenerateSerializer, Immutable]
public sealed record RespondToRoundDraft(string? ClientEventId, Guid? RoundId, string? Capacity, string? Text, bool Pass)
{
    public ValidRoundAnswer Validate()
    {
        var v = new Validation();
        var roundId = v.Id("roundId", RoundId, "RoundId");
        var capacity = v.OneOf("capacity", Capacity, Domain.Capacity.All, "Capacity", c => c, required: false);
        var text = v.OptionalText("text", Text, Limits.Text, "Answer");
        v.Check(Pass || capacity is not null || text is not null, "text",
            DomainText.Get("Round.Answer"));
        var result = new ValidRoundAnswer(v.ClientEventId(ClientEventId), roundId, Pass ? null : capacity, Pass ? null : text, Pass);
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidRoundAnswer(string? ClientEventId, Guid RoundId, string? Capacity, string? Text, bool Pass) : IValidEntry;

[GenerateSerializer, Immutable]
public sealed record RequestSupportDraft(string? ClientEventId, string? Note)
{
    public ValidSupportRequest Validate()
    {
        var v = new Validation();
        var result = new ValidSupportRequest(v.ClientEventId(ClientEventId), v.OptionalText("note", Note, Limits.Note, "Note"));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidSupportRequest(string? ClientEventId, string? Note) : IValidEntry;

/// <summary>Something the person who asked for support adds later: it joins that request instead of making another.</summary>
[GenerateSerializer, Immutable]
public sealed record AddSupportNoteDraft(string? ClientEventId, Guid? RequestEventId, string? Note)
{
    public ValidSupportNote Validate()
    {
        var v = new Validation();
        var result = new ValidSupportNote(v.ClientEventId(ClientEventId), v.Id("requestEventId", RequestEventId, "Request"),
            v.RequiredText("note", Note, Limits.Note, "Note"));
        v.ThrowIfInvalid();
        return result;
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidSupportNote(string? ClientEventId, Guid RequestEventId, string Note) : IValidEntry;

/// <summary>A request for support sent by mistake, taken back within <see cref="SupportRequests.WithdrawWindow"/>.</summary>
[GenerateSerializer, Immutable]
public sealed record WithdrawSupportDraft(string? ClientEventId, Guid? RequestEventId)
{
    public ValidEntryRef Validate()
    {
        var v = new Validation();
        var result = new ValidEntryRef(v.ClientEventId(ClientEventId), v.Id("requestEventId", RequestEventId, "Request"));
        v.ThrowIfInvalid();
        return result;
    }
}

public static class SupportRequests
{
    /// <summary>
    /// Long enough to notice a press by mistake; short enough that a facilitator never finds a real request gone
    /// after they started to act on it. Afterwards the request stays; a note can say "I'm all right now".
    /// </summary>
    public static readonly TimeSpan WithdrawWindow = TimeSpan.FromMinutes(15);
}
