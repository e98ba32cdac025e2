namespace BetweenSessions.Groups.Domain;

// Measures a person chooses (issue 17): a questionnaire a clinic brings (nothing clinical ships in the product), and
// the session pulse written for the product. A score is only ever the member's own, read against the clinic's band
// names; nothing here compares people, and a circle-level view is a distribution of at least three answers.

/// <summary>One answer of a measure's scale, as the clinic words it ("Not at all" = 0).</summary>
[GenerateSerializer, Immutable]
public sealed record ScaleOptionDraft(int? Value, string? Label);

/// <summary>
/// One item. <paramref name="Reverse"/>: scored from the other end of the scale. <paramref name="SafetyThreshold"/>:
/// a safety item; an answer at or above it shows the member the crisis resources at once and tells the facilitators.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeasureItemDraft(string? Text, bool Reverse = false, int? SafetyThreshold = null);

/// <summary>A range of total scores and the clinic's name for it ("minimal", "mild"), both ends included.</summary>
[GenerateSerializer, Immutable]
public sealed record BandDraft(int? From, int? To, string? Name);

/// <summary>
/// A questionnaire as a facilitator enters it from what their clinic is licensed to use: the items, the answer scale,
/// the recall period ("over the last 14 days"), the bands of the summed score, and which items are safety items.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MeasureDraft(
    string? ClientEventId,
    string? Name,
    string? Instructions,
    int? RecallDays,
    IReadOnlyList<ScaleOptionDraft>? Scale,
    IReadOnlyList<MeasureItemDraft>? Items,
    IReadOnlyList<BandDraft>? Bands)
{
    public MeasureDefinition Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var name = v.Name("name", Name, Limits.MeasureName, "MeasureName");
        var instructions = v.OptionalText("instructions", Instructions, Limits.MeasureInstructions, "Instructions");
        var recall = RecallDays ?? 0;
        v.Check(recall is >= Limits.MeasureRecallDaysMin and <= Limits.MeasureRecallDaysMax, "recallDays",
            DomainText.Format("Measure.RecallDays", Limits.MeasureRecallDaysMin, Limits.MeasureRecallDaysMax));

        var scale = new List<ScaleOption>();
        var options = Scale ?? [];
        v.Check(options.Count is >= 2 and <= Limits.MeasureScaleOptions, "scale",
            DomainText.Format("Measure.ScaleCount", Limits.MeasureScaleOptions));
        for (var i = 0; i < options.Count && i < Limits.MeasureScaleOptions; i++)
        {
            var option = options[i];
            var label = v.RequiredText($"scale[{i}].label", option?.Label, Limits.MeasureLabel, "ScaleLabel");
            v.Check(option?.Value is >= 0 and <= Limits.MeasureScaleValueMax, $"scale[{i}].value",
                DomainText.Format("Measure.ScaleValue", Limits.MeasureScaleValueMax));
            scale.Add(new ScaleOption(option?.Value ?? 0, label));
        }
        v.Check(scale.Select(o => o.Value).Distinct().Count() == scale.Count, "scale", DomainText.Get("Measure.ScaleDistinct"));

        var items = new List<MeasureItem>();
        var drafts = Items ?? [];
        v.Check(drafts.Count is >= 1 and <= Limits.MeasureItems, "items", DomainText.Format("Measure.ItemCount", Limits.MeasureItems));
        for (var i = 0; i < drafts.Count && i < Limits.MeasureItems; i++)
        {
            var item = drafts[i];
            var text = v.RequiredText($"items[{i}].text", item?.Text, Limits.MeasureItemText, "ItemText");
            v.Check(item?.SafetyThreshold is null || scale.Any(o => o.Value == item.SafetyThreshold), $"items[{i}].safetyThreshold",
                DomainText.Get("Measure.SafetyThreshold"));
            items.Add(new MeasureItem(text, item?.Reverse ?? false, item?.SafetyThreshold));
        }

        var bands = new List<ScoreBand>();
        var bandDrafts = Bands ?? [];
        v.Check(bandDrafts.Count <= Limits.MeasureBands, "bands", DomainText.Format("Measure.BandCount", Limits.MeasureBands));
        for (var i = 0; i < bandDrafts.Count && i < Limits.MeasureBands; i++)
        {
            var band = bandDrafts[i];
            var bandName = v.RequiredText($"bands[{i}].name", band?.Name, Limits.MeasureLabel, "BandName");
            v.Check(band?.From is not null && band.To is not null && band.From <= band.To, $"bands[{i}]", DomainText.Get("Measure.BandRange"));
            bands.Add(new ScoreBand(band?.From ?? 0, band?.To ?? 0, bandName));
        }
        var ordered = bands.OrderBy(b => b.From).ToList();
        v.Check(ordered.Zip(ordered.Skip(1)).All(pair => pair.First.To < pair.Second.From), "bands", DomainText.Get("Measure.BandOverlap"));

        v.ThrowIfInvalid();
        return new MeasureDefinition(clientEventId, name, instructions, recall, scale, items, ordered);
    }
}

[GenerateSerializer, Immutable]
public sealed record ScaleOption(int Value, string Label);

[GenerateSerializer, Immutable]
public sealed record MeasureItem(string Text, bool Reverse, int? SafetyThreshold)
{
    public bool IsSafetyItem => SafetyThreshold is not null;
}

[GenerateSerializer, Immutable]
public sealed record ScoreBand(int From, int To, string Name);

/// <summary>A measure as the clinic defined it, validated: what members are offered and how their answers are read.</summary>
[GenerateSerializer, Immutable]
public sealed record MeasureDefinition(
    string? ClientEventId,
    string Name,
    string? Instructions,
    int RecallDays,
    IReadOnlyList<ScaleOption> Scale,
    IReadOnlyList<MeasureItem> Items,
    IReadOnlyList<ScoreBand> Bands) : IValidEntry
{
    /// <summary>Whether the member should be told, before answering, that some answers reach the facilitators at once.</summary>
    public bool HasSafetyItems => Items.Any(i => i.IsSafetyItem);

    /// <summary>Offering it more often than its recall period would ask about the same days twice.</summary>
    public bool AllowsCadence(int everyDays) => everyDays >= RecallDays;

    /// <summary>
    /// Reads one set of answers. The score is the sum over the items (reverse items from the other end of the scale),
    /// and only when every item was answered: a total with skipped items would read lower than the person meant,
    /// so it is "not scored" instead, never zero. The band is the clinic's name for that total.
    /// </summary>
    public MeasureReading Read(IReadOnlyList<int?> answers)
    {
        int? score = answers.Count == Items.Count && answers.All(a => a is not null)
            ? Items.Select((item, i) => item.Reverse ? Scale.Max(o => o.Value) + Scale.Min(o => o.Value) - answers[i]!.Value : answers[i]!.Value).Sum()
            : null;
        var band = score is { } s ? Bands.FirstOrDefault(b => s >= b.From && s <= b.To)?.Name : null;
        var safety = Items.Select((item, i) => item.SafetyThreshold is { } threshold && i < answers.Count && answers[i] >= threshold).Any(x => x);
        return new MeasureReading(score, band, safety);
    }
}

/// <summary>What one set of answers says: the member's own score and band (if every item was answered), and whether a
/// safety item was answered at or above its threshold.</summary>
[GenerateSerializer, Immutable]
public sealed record MeasureReading(int? Score, string? Band, bool NeedsSupportNow);

/// <summary>
/// A member's answers to a measure they opted into. Any item may be skipped (null); "not this week" is a full answer
/// with no items at all.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AnswerMeasureDraft(string? ClientEventId, Guid? MeasureId, bool NotThisWeek, IReadOnlyList<int?>? Answers)
{
    public ValidMeasureAnswer Validate(MeasureDefinition measure)
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var measureId = v.Id("measureId", MeasureId, "MeasureId");
        var answers = NotThisWeek ? [] : Answers ?? [];
        v.Check(NotThisWeek || answers.Count == measure.Items.Count, "answers",
            DomainText.Format("Measure.AnswerCount", measure.Items.Count));
        for (var i = 0; i < answers.Count; i++)
        {
            v.Check(answers[i] is null || measure.Scale.Any(o => o.Value == answers[i]), $"answers[{i}]",
                DomainText.Format("Measure.AnswerValue", string.Join(", ", measure.Scale.Select(o => o.Value))));
        }
        v.ThrowIfInvalid();
        return new ValidMeasureAnswer(clientEventId, measureId, NotThisWeek, answers);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidMeasureAnswer(string? ClientEventId, Guid MeasureId, bool NotThisWeek, IReadOnlyList<int?> Answers) : IValidEntry;

/// <summary>
/// The session pulse, written for this product: right after a session, inside its time to reflect. Three questions
/// on a five-step scale and one word; each may be skipped. Never scored: each answer is read on its own.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionPulseDraft(string? ClientEventId, string? Session, int? Heard, int? Safe, int? Mattered, string? Word)
{
    public const int Lowest = 1;
    public const int Highest = 5;

    public ValidSessionPulse Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        v.Check(SessionSchedule.TryParseLocal(Session, out var session), "session", DomainText.Get("Pulse.Session"));
        foreach (var (field, value) in new[] { ("heard", Heard), ("safe", Safe), ("mattered", Mattered) })
            v.Check(value is null or >= Lowest and <= Highest, field, DomainText.Format("Pulse.Value", Lowest, Highest));
        var word = string.IsNullOrWhiteSpace(Word) ? null : v.Name("word", Word, Limits.FeelingWord, "PulseWord");
        v.ThrowIfInvalid();
        return new ValidSessionPulse(clientEventId, session, Heard, Safe, Mattered, word);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidSessionPulse(string? ClientEventId, DateTime Session, int? Heard, int? Safe, int? Mattered, string? Word) : IValidEntry;

/// <summary>
/// How many answered each step of a scale, for a circle-level view. Only from <see cref="MinimumAnswers"/> answers on:
/// with fewer, a distribution would let people work out who answered what.
/// </summary>
public static class AnswerDistribution
{
    public const int MinimumAnswers = 3;

    /// <summary>Step to count, every step of the scale present; null when fewer than three answered.</summary>
    public static IReadOnlyDictionary<int, int>? Of(IEnumerable<int?> answers, IEnumerable<int> scale)
    {
        var given = answers.OfType<int>().ToList();
        if (given.Count < MinimumAnswers) return null;
        return scale.ToDictionary(step => step, step => given.Count(a => a == step));
    }
}

/// <summary>A facilitator offers a measure to their circle, to be answered at most every <paramref name="EveryDays"/> days.</summary>
[GenerateSerializer, Immutable]
public sealed record OfferMeasureDraft(string? ClientEventId, MeasureDraft? Measure, int? EveryDays)
{
    public ValidMeasureOffer Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        v.Check(Measure is not null, "measure", DomainText.Get("Measure.Missing"));
        v.ThrowIfInvalid();
        var definition = (Measure! with { ClientEventId = null }).Validate();
        var every = EveryDays ?? definition.RecallDays;
        v.Check(every is >= 1 and <= Limits.MeasureEveryDaysMax && definition.AllowsCadence(every), "everyDays",
            DomainText.Format("Measure.Cadence", definition.RecallDays, Limits.MeasureEveryDaysMax));
        v.ThrowIfInvalid();
        return new ValidMeasureOffer(clientEventId, definition, every);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidMeasureOffer(string? ClientEventId, MeasureDefinition Measure, int EveryDays) : IValidEntry;

/// <summary>A facilitator stops offering a measure: nobody is asked again; what members answered stays theirs.</summary>
[GenerateSerializer, Immutable]
public sealed record RetireMeasureDraft(string? ClientEventId, Guid? MeasureId)
{
    public ValidMeasureRef Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var measureId = v.Id("measureId", MeasureId, "MeasureId");
        v.ThrowIfInvalid();
        return new ValidMeasureRef(clientEventId, measureId);
    }
}

/// <summary>A member stops answering a measure; asking again later is a new opt-in.</summary>
[GenerateSerializer, Immutable]
public sealed record StopMeasureDraft(string? ClientEventId, Guid? MeasureId)
{
    public ValidMeasureRef Validate() => new RetireMeasureDraft(ClientEventId, MeasureId).Validate();
}

[GenerateSerializer, Immutable]
public sealed record ValidMeasureRef(string? ClientEventId, Guid MeasureId) : IValidEntry;

/// <summary>
/// A member opts in to a measure (or changes whom they share it with): with <paramref name="ShareWithFacilitators"/>
/// their facilitators may read this member's own trend on this member's view; without, the answers are theirs alone.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record OptInMeasureDraft(string? ClientEventId, Guid? MeasureId, bool ShareWithFacilitators)
{
    public ValidMeasureOptIn Validate()
    {
        var reference = new RetireMeasureDraft(ClientEventId, MeasureId).Validate();
        return new ValidMeasureOptIn(reference.ClientEventId, reference.MeasureId, ShareWithFacilitators);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidMeasureOptIn(string? ClientEventId, Guid MeasureId, bool ShareWithFacilitators) : IValidEntry;
