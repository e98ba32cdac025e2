using System.Globalization;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Tests.Measures;

/// <summary>
/// The rules of a measure a clinic brings, on a questionnaire made up for the test (nothing clinical ships in the
/// product): scoring with a reverse item, the clinic's bands, a safety item, skipping, "not this week", the session
/// pulse, and the k ≥ 3 rule of every circle-level distribution.
/// </summary>
public sealed class MeasureRulesTests
{
    /// <summary>Four items on a 0–3 scale over the last 7 days; the third is a safety item from 2; the fourth is reversed.</summary>
    private static MeasureDraft WeekCheck(IReadOnlyList<BandDraft>? bands = null, int? threshold = 2, int? recallDays = 7) => new(
        null, "Week check", "Over the last 7 days, how often…", recallDays,
        [new(0, "Not at all"), new(1, "Some days"), new(2, "Most days"), new(3, "Every day")],
        [new("Felt tense"), new("Slept badly"), new("Thought of hurting myself", SafetyThreshold: threshold), new("Felt at ease", Reverse: true)],
        bands ?? [new(0, 3, "quiet"), new(4, 7, "some"), new(8, 12, "a lot")]);

    [Fact]
    public void The_score_sums_the_items_with_reverse_items_turned_and_is_named_by_the_clinics_band()
    {
        var measure = WeekCheck().Validate();

        Assert.Equal(new MeasureReading(3, "quiet", false), measure.Read([1, 2, 0, 3]));
        Assert.Equal(new MeasureReading(9, "a lot", false), measure.Read([3, 3, 1, 1]));
        Assert.True(measure.HasSafetyItems);
    }

    [Fact]
    public void A_safety_item_at_or_above_its_threshold_asks_for_support_now_whatever_the_score()
    {
        var measure = WeekCheck().Validate();

        Assert.True(measure.Read([0, 0, 2, 3]).NeedsSupportNow);
        Assert.True(measure.Read([null, null, 3, null]).NeedsSupportNow);
        Assert.False(measure.Read([3, 3, 1, 0]).NeedsSupportNow);
        Assert.False(measure.Read([null, null, null, null]).NeedsSupportNow);
    }

    [Fact]
    public void A_skipped_item_leaves_the_answers_unscored_rather_than_lower_and_not_this_week_is_a_full_answer()
    {
        var measure = WeekCheck().Validate();

        Assert.Equal(new MeasureReading(null, null, false), measure.Read([1, null, 0, 3]));

        var notThisWeek = new AnswerMeasureDraft("c1", Guid.NewGuid(), NotThisWeek: true, null).Validate(measure);
        Assert.Empty(notThisWeek.Answers);
        var skipped = new AnswerMeasureDraft("c2", Guid.NewGuid(), false, [null, 1, null, null]).Validate(measure);
        Assert.Equal([null, 1, null, null], skipped.Answers);
    }

    [Fact]
    public void Answers_that_do_not_fit_the_measure_are_refused_by_field()
    {
        var measure = WeekCheck().Validate();

        var refused = Assert.Throws<DomainValidationException>(() =>
            new AnswerMeasureDraft(null, Guid.NewGuid(), false, [0, 4, 1]).Validate(measure));
        Assert.Equal(["Send one answer per item (4); a skipped item is null."], refused.Errors["answers"]);
        Assert.Equal(["An answer is one of the scale's numbers: 0, 1, 2, 3, or null to skip it."], refused.Errors["answers[1]"]);
    }

    [Fact]
    public void A_measure_is_refused_with_overlapping_bands_a_threshold_off_its_scale_or_no_recall_period()
    {
        var refused = Assert.Throws<DomainValidationException>(() =>
            WeekCheck(bands: [new(0, 4, "quiet"), new(4, 12, "more")], threshold: 5, recallDays: 0).Validate());

        Assert.Equal(["Bands may not overlap."], refused.Errors["bands"]);
        Assert.Equal(["A safety item's threshold is one of the scale's numbers."], refused.Errors["items[2].safetyThreshold"]);
        Assert.Equal(["The recall period is between 1 and 90 days."], refused.Errors["recallDays"]);
    }

    [Fact]
    public void A_measure_is_never_offered_more_often_than_its_recall_period()
    {
        var fortnight = WeekCheck(recallDays: 14).Validate();

        Assert.False(fortnight.AllowsCadence(7));
        Assert.True(fortnight.AllowsCadence(14));
        Assert.True(fortnight.AllowsCadence(28));
    }

    [Fact]
    public void A_circle_level_distribution_needs_three_answers_and_shows_every_step()
    {
        int[] scale = [1, 2, 3, 4, 5];

        Assert.Null(AnswerDistribution.Of([4, 5], scale));
        Assert.Null(AnswerDistribution.Of([4, null, 5, null], scale));
        var three = AnswerDistribution.Of([4, 5, null, 4], scale)!;
        Assert.Equal(new Dictionary<int, int> { [1] = 0, [2] = 0, [3] = 0, [4] = 2, [5] = 1 }, three);
    }

    [Fact]
    public void Every_question_of_the_session_pulse_may_be_skipped_and_a_word_is_one_plain_word()
    {
        var empty = new SessionPulseDraft("p1", "2026-12-03T19:00", null, null, null, " ").Validate();
        Assert.Equal(new ValidSessionPulse("p1", new DateTime(2026, 12, 3, 19, 0, 0), null, null, null, null), empty);

        var refused = Assert.Throws<DomainValidationException>(() =>
            new SessionPulseDraft(null, "2026-12-03T19:00", 6, 0, 3, "calm\u202Eyddef").Validate());
        Assert.Equal(["Answer from 1 to 5, or skip it."], refused.Errors["heard"]);
        Assert.Equal(["Answer from 1 to 5, or skip it."], refused.Errors["safe"]);
        Assert.False(refused.Errors.ContainsKey("mattered"));
        Assert.Single(refused.Errors["word"]);
    }

    [Fact]
    public void A_clinic_entering_a_measure_in_Spanish_is_answered_in_Spanish()
    {
        var (ui, formatting) = (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture);
        CultureInfo.CurrentUICulture = CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("es");
        try
        {
            var refused = Assert.Throws<DomainValidationException>(() => WeekCheck(bands: [new(5, 2, "al revés")]).Validate());
            Assert.Equal(["Cada franja va de una puntuación a otra igual o mayor."], refused.Errors["bands[0]"]);
        }
        finally
        {
            (CultureInfo.CurrentUICulture, CultureInfo.CurrentCulture) = (ui, formatting);
        }
    }
}
