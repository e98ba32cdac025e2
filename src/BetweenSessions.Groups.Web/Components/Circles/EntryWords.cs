using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Localization;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>
/// The words for the machine values a page shows (capacity levels, audiences, practice outcomes, acknowledgements,
/// kinds of entry), in the reader's language: Resources/Components/Circles/EntryWords.resx. The realtime API and the
/// stored events keep the English machine names; only what a person reads is worded here. Inject
/// <c>IStringLocalizer&lt;EntryWords&gt;</c> and call the extensions below.
/// </summary>
public sealed class EntryWords
{
    private EntryWords() { }
}

public static class EntryWordsExtensions
{
    /// <summary>A capacity level as a person says it ("Resting", "Descansando"); an unknown value as it is.</summary>
    public static string Capacity(this IStringLocalizer<EntryWords> words, string? capacity) =>
        Domain.Capacity.IsValid(capacity) ? words[$"Capacity_{capacity}"] : capacity ?? "";

    /// <summary>A capacity level in one short word, for the chart's scale.</summary>
    public static string CapacityShort(this IStringLocalizer<EntryWords> words, string capacity) =>
        Domain.Capacity.IsValid(capacity) ? words[$"CapacityShort_{capacity}"] : capacity;

    /// <summary>Who can see an entry, as its label in the feed ("the circle").</summary>
    public static string Audience(this IStringLocalizer<EntryWords> words, Visibility audience) => words[$"Audience_{audience}"];

    /// <summary>An audience as a choice ("The circle", "Facilitators only", "Only me").</summary>
    public static string AudienceChoice(this IStringLocalizer<EntryWords> words, Visibility audience) => words[$"AudienceChoice_{audience}"];

    /// <summary>What the send button says, so the audience is in view at the moment of sending.</summary>
    public static string SendLabel(this IStringLocalizer<EntryWords> words, Visibility? audience) =>
        words[audience is { } a ? $"Send_{a}" : "Send_None"];

    /// <summary>Asked when an entry would be sent without an audience.</summary>
    public static string ChooseAudienceFirst(this IStringLocalizer<EntryWords> words) => words["ChooseAudienceFirst"];

    /// <summary>How a practice went, after the name of whoever practised ("practised", "lo practicó").</summary>
    public static string Outcome(this IStringLocalizer<EntryWords> words, string? outcome) =>
        outcome is not null && PracticeOutcomes.All.Contains(outcome) ? words[$"Outcome_{outcome}"] : outcome ?? "";

    /// <summary>How a practice went, one person's log: "You practised" for the reader, "Noor practised" for others.</summary>
    public static string OutcomeBy(this IStringLocalizer<EntryWords> words, string? outcome, string? name) =>
        outcome is not null && PracticeOutcomes.All.Contains(outcome)
            ? name is null ? words[$"OutcomeMine_{outcome}"] : words[$"OutcomeTheirs_{outcome}", name]
            : $"{name} {outcome}";

    /// <summary>An outcome as a choice, in the person's own voice ("Practised", "Lo practiqué").</summary>
    public static string OutcomeLabel(this IStringLocalizer<EntryWords> words, string outcome) =>
        PracticeOutcomes.All.Contains(outcome) ? words[$"OutcomeLabel_{outcome}"] : outcome;

    /// <summary>An acknowledgement as its button says it ("With you", "Contigo").</summary>
    public static string AcknowledgementLabel(this IStringLocalizer<EntryWords> words, string kind) =>
        AcknowledgementKinds.All.Contains(kind) ? words[$"Ack_{kind}"] : kind;

    /// <summary>An acknowledgement written to the author: "Noor is with you".</summary>
    public static string AcknowledgementTo(this IStringLocalizer<EntryWords> words, string kind, string name) =>
        AcknowledgementKinds.All.Contains(kind) ? words[$"AckTo_{kind}", name] : $"{name} {kind}";

    /// <summary>A kind of entry kept on the device (DeviceOutbox.Kinds): "A check-in".</summary>
    public static string Kind(this IStringLocalizer<EntryWords> words, string? kind) =>
        kind is not null && DeviceOutbox.Kinds.Contains(kind) ? words[$"Kind_{kind}"] : words["Kind_unknown"];
}
