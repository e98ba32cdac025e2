using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Accounts;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// The receipt of a measure's answers, with what they say to the person who gave them. <see cref="Resources"/> holds the
/// crisis resources when a safety item was answered at or above its threshold (empty otherwise), so they are shown in
/// the same step, as with RequestSupport. <see cref="SupportRequestEventId"/> is the request raised with the answer;
/// null on a resend, which raises nothing new.
/// </summary>
public sealed record MeasureAck(
    Guid EventId, long Seq, int? Score, string? Band, bool NeedsSupportNow, Guid? SupportRequestEventId, IReadOnlyList<CrisisResource> Resources);

/// <summary>One person's measures on the wire (docs/realtime-api.md, "Measures"): one person's, never anyone else's beside them.</summary>
public sealed record MeasuresResponse(
    string MemberId, string DisplayName, IReadOnlyList<PersonMeasureResponse> Measures, IReadOnlyList<PulseAnswer> Pulses, Session? PulseOpenFor)
{
    public static MeasuresResponse From(MeasuresView view) => new(view.MemberId, view.DisplayName,
        view.Measures.Select(PersonMeasureResponse.From).ToList(), view.Pulses, view.PulseOpenFor);
}

/// <summary>
/// A measure flattened for clients: the clinic's definition, the person's choice and their answers. Flat rather than the
/// grain's nested records, so a client reads one documented shape that does not move when the grain's types do.
/// </summary>
public sealed record PersonMeasureResponse(
    Guid MeasureId,
    string Name,
    string? Instructions,
    int RecallDays,
    int EveryDays,
    IReadOnlyList<ScaleOption> Scale,
    IReadOnlyList<MeasureItemResponse> Items,
    IReadOnlyList<ScoreBand> Bands,
    bool Offered,
    DateTimeOffset OfferedAt,
    DateTimeOffset? RetiredAt,
    MeasureConsent? Consent,
    IReadOnlyList<MeasureAnswer> Answers,
    DateTimeOffset? NextDue)
{
    public static PersonMeasureResponse From(PersonMeasure m)
    {
        var definition = m.Measure.Definition;
        return new(m.Measure.MeasureId, definition.Name, definition.Instructions, definition.RecallDays, m.Measure.EveryDays,
            definition.Scale, definition.Items.Select(i => new MeasureItemResponse(i.Text, i.Reverse, i.SafetyThreshold)).ToList(),
            definition.Bands, m.Measure.IsOffered, m.Measure.OfferedAt, m.Measure.RetiredAt, m.Consent, m.Answers, m.NextDue);
    }
}

public sealed record MeasureItemResponse(string Text, bool Reverse, int? SafetyThreshold);

// Measures a person chooses (docs/realtime-api.md, "Measures"; docs/measures.md). Every rule (who may offer, read,
// answer; answers private to their author; distributions only from three answers) is the grain's, so the hub and the
// pages cannot drift apart; the hub only reads arguments and adds the crisis resources in the reader's language.
public sealed partial class CircleHub
{
    [FacilitatorsOnly]
    public Task<EventAck> OfferMeasure(JsonElement circleId, JsonElement entry) =>
        WriteAsync<OfferMeasureDraft>(circleId, entry, (circle, member, draft) => circle.OfferMeasureAsync(member, draft));

    [FacilitatorsOnly]
    public Task<EventAck> RetireMeasure(JsonElement circleId, JsonElement entry) =>
        WriteAsync<RetireMeasureDraft>(circleId, entry, (circle, member, draft) => circle.RetireMeasureAsync(member, draft));

    public Task<EventAck> OptInMeasure(JsonElement circleId, JsonElement entry) =>
        WriteAsync<OptInMeasureDraft>(circleId, entry, (circle, member, draft) => circle.OptInMeasureAsync(member, draft));

    public Task<EventAck> StopMeasure(JsonElement circleId, JsonElement entry) =>
        WriteAsync<StopMeasureDraft>(circleId, entry, (circle, member, draft) => circle.StopMeasureAsync(member, draft));

    /// <summary>The crisis resources come back with the receipt when a safety answer needs them, as RequestSupport's do.</summary>
    public async Task<MeasureAck> AnswerMeasure(JsonElement circleId, JsonElement entry)
    {
        var receipt = await WriteAsync<AnswerMeasureDraft, MeasureAnswerReceipt>(circleId, entry,
            (circle, member, draft) => circle.AnswerMeasureAsync(member, draft));
        var resources = receipt.NeedsSupportNow
            ? await crisisResources.ForAsync(grains.GetGrain<ICircleGrain>(HubInput.CircleId(circleId)), MemberId)
            : [];
        return new MeasureAck(receipt.EventId, receipt.Seq, receipt.Score, receipt.Band, receipt.NeedsSupportNow,
            receipt.SupportRequest?.EventId, resources);
    }

    public Task<EventAck> AnswerPulse(JsonElement circleId, JsonElement entry) =>
        WriteAsync<SessionPulseDraft>(circleId, entry, (circle, member, draft) => circle.AnswerPulseAsync(member, draft));

    /// <summary>
    /// The caller's own measures (memberId null), or, for a facilitator, one member's shared trend. Reading someone
    /// else's is what facilitators do, so the strong sign-in rule of <see cref="FacilitatorsOnlyAttribute"/> applies to
    /// it; reading one's own never needs it.
    /// </summary>
    public async Task<MeasuresResponse> GetMeasures(JsonElement circleId, JsonElement memberId)
    {
        var circle = grains.GetGrain<ICircleGrain>(HubInput.CircleId(circleId));
        var person = HubInput.OptionalMemberId(memberId);
        if (person is not null && person != MemberId && !facilitatorRule.Allows(Context.User!)
            && (await circle.GetDetailsAsync(MemberId)).Role == CircleRole.Facilitator)
            throw new HubException(FacilitatorSignIn.Refusal);
        return MeasuresResponse.From(await circle.GetMeasuresAsync(MemberId, person));
    }

    [FacilitatorsOnly]
    public async Task<IReadOnlyList<PulseSummary>> GetPulseSummaries(JsonElement circleId, JsonElement count)
    {
        var circle = grains.GetGrain<ICircleGrain>(HubInput.CircleId(circleId));
        return await circle.GetPulseSummariesAsync(MemberId, HubInput.Count(count, "count", MaxPulseSummaries));
    }

    /// <summary>The grain gives at most this many sessions; asking for more is refused rather than quietly cut.</summary>
    private const int MaxPulseSummaries = 20;
}
