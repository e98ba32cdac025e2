using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Measures;

/// <summary>
/// Measures in the circle's grain, on a questionnaire made up for the test: offered by a facilitator, answered by the
/// members who opt in, read back by each person alone, by a facilitator only for a member who shares it, and the
/// session pulse only as distributions of three answers or more. The clock starts Monday 5 January 2026, 09:00 UTC.
/// </summary>
public sealed class MeasureGrainTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryCircleStore _store = new();
    private readonly Guid _circleId = Guid.NewGuid();
    private GroupsGrainHost _host = default!;
    private ICircleGrain Circle => _host.Grains.GetGrain<ICircleGrain>(_circleId);

    public async ValueTask InitializeAsync()
    {
        _host = await CircleTestHost.StartAsync(_store, _clock);
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        foreach (var (id, name) in new[] { ("m1", "Mia"), ("m2", "Bo"), ("m3", "Cy"), ("m4", "Dee") })
            await Circle.JoinAsync(id, name, created.InviteCode!);
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static string Id() => Guid.NewGuid().ToString("N");

    /// <summary>Three items on a 0–3 scale over 7 days; the second is a safety item from 2, the third is reversed.</summary>
    private static MeasureDraft WeekCheck() => new(
        null, "Week check", "Over the last 7 days, how often…", 7,
        [new(0, "Not at all"), new(1, "Some days"), new(2, "Most days"), new(3, "Every day")],
        [new("Felt tense"), new("Thought of hurting myself", SafetyThreshold: 2), new("Felt at ease", Reverse: true)],
        [new(0, 3, "quiet"), new(4, 9, "busy")]);

    private async Task<Guid> OfferedWeekCheck()
    {
        await Circle.OfferMeasureAsync("f1", new(Id(), WeekCheck(), 7));
        return (await Circle.GetMeasuresAsync("m1")).Measures.Single().Measure.MeasureId;
    }

    private List<CircleEvent> Stored(string type) => _store.Events(_circleId).Where(e => e.Type == type).ToList();

    [Fact]
    public async Task Only_a_facilitator_offers_a_measure_and_never_more_often_than_its_recall_period()
    {
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.OfferMeasureAsync("m1", new(Id(), WeekCheck(), 7)));
        var tooOften = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.OfferMeasureAsync("f1", new(Id(), WeekCheck(), 3)));
        Assert.Contains("everyDays", tooOften.Errors.Keys);
        var noItems = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle.OfferMeasureAsync("f1", new(Id(), WeekCheck() with { Items = [] }, 7)));
        Assert.Contains("items", noItems.Errors.Keys);

        var clientId = Id();
        var offered = await Circle.OfferMeasureAsync("f1", new(clientId, WeekCheck(), null));
        Assert.Equal(offered, await Circle.OfferMeasureAsync("f1", new(clientId, WeekCheck(), null)));

        var measure = Assert.Single((await Circle.GetMeasuresAsync("m1")).Measures);
        Assert.Equal(("Week check", 7, 3), (measure.Measure.Definition.Name, measure.Measure.EveryDays, measure.Measure.Definition.Items.Count));
        Assert.Null(measure.Consent);
        var stored = Assert.Single(Stored(EventTypes.MeasureOffered));
        Assert.Equal(Visibility.Circle, stored.Visibility);
    }

    [Fact]
    public async Task A_member_answers_only_after_opting_in_and_reads_their_own_score_band_and_skips()
    {
        var measureId = await OfferedWeekCheck();
        var first = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AnswerMeasureAsync("m1", new(Id(), measureId, false, [1, 0, 3])));
        Assert.Contains("measureId", first.Errors.Keys);
        var noId = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AnswerMeasureAsync("m1", new(Id(), null, false, [1, 0, 3])));
        Assert.Equal("The measure (measureId) is required.", noId.Errors["measureId"].Single());

        await Circle.OptInMeasureAsync("m1", new(Id(), measureId, ShareWithFacilitators: false));
        var scored = await Circle.AnswerMeasureAsync("m1", new(Id(), measureId, false, [1, 0, 3]));
        Assert.Equal((1, "quiet", false, (EventReceipt?)null), (scored.Score, scored.Band, scored.NeedsSupportNow, scored.SupportRequest));
        _clock.Advance(TimeSpan.FromDays(7));
        var skipped = await Circle.AnswerMeasureAsync("m1", new(Id(), measureId, false, [3, null, 0]));
        Assert.Equal((null, null), (skipped.Score, skipped.Band)); // not scored, never read lower than meant
        _clock.Advance(TimeSpan.FromDays(7));
        await Circle.AnswerMeasureAsync("m1", new(Id(), measureId, true, null));
        var wrongCount = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AnswerMeasureAsync("m1", new(Id(), measureId, false, [1])));
        Assert.Contains("answers", wrongCount.Errors.Keys);

        var mine = Assert.Single((await Circle.GetMeasuresAsync("m1")).Measures);
        Assert.Equal(
            [(false, (int?)1, "quiet", 3), (false, null, null, 2), (true, null, null, 0)],
            mine.Answers.Select(a => (a.NotThisWeek, a.Score, a.Band, a.Answered)).ToList());
        Assert.Equal(mine.Answers[^1].At.AddDays(7), mine.NextDue);
        Assert.All(Stored(EventTypes.MeasureAnswered), e => Assert.Equal((Visibility.Private, "m1"), (e.Visibility, e.MemberId)));
        // Nobody else reads them in the log, facilitators included.
        foreach (var other in new[] { "f1", "m2" })
            Assert.DoesNotContain((await Circle.ReadEventsAsync(other, 0, 200)).Events, e => e.Type is EventTypes.MeasureAnswered or EventTypes.MeasureOptedIn);
    }

    [Fact]
    public async Task A_safety_answer_raises_a_support_request_in_the_same_commit_and_tells_the_facilitators_once()
    {
        var measureId = await OfferedWeekCheck();
        await Circle.OptInMeasureAsync("m1", new(Id(), measureId, false));
        var commits = _store.Commits;

        var clientId = Id();
        var answer = await Circle.AnswerMeasureAsync("m1", new(clientId, measureId, false, [null, 2, null]));

        Assert.True(answer.NeedsSupportNow);
        Assert.Equal(commits + 1, _store.Commits);
        var request = Assert.Single(Stored(EventTypes.SupportRequested));
        Assert.Equal((answer.SupportRequest!.EventId, answer.Seq + 1, Visibility.Facilitators, "m1"),
            (request.EventId, request.Seq, request.Visibility, request.MemberId));
        Assert.Contains("\"source\":\"measure\"", request.PayloadJson);
        Assert.DoesNotContain("2", request.PayloadJson.Replace(measureId.ToString(), "")); // nothing of the answer
        Assert.Single((await _host.Grains.GetGrain<INudgeGrain>("f1").ListAsync()), n => n.Kind == NudgeKinds.Support);

        var resent = await Circle.AnswerMeasureAsync("m1", new(clientId, measureId, false, [null, 2, null]));
        Assert.Equal((answer.EventId, true), (resent.EventId, resent.NeedsSupportNow));
        Assert.Single(Stored(EventTypes.SupportRequested));
    }

    [Fact]
    public async Task A_facilitator_reads_one_member_s_trend_only_while_that_member_shares_it()
    {
        var measureId = await OfferedWeekCheck();
        await Circle.OptInMeasureAsync("m1", new(Id(), measureId, ShareWithFacilitators: true));
        await Circle.OptInMeasureAsync("m2", new(Id(), measureId, ShareWithFacilitators: false));
        await Circle.AnswerMeasureAsync("m1", new(Id(), measureId, false, [3, 1, 0]));
        await Circle.AnswerMeasureAsync("m2", new(Id(), measureId, false, [0, 0, 3]));

        var mia = await Circle.GetMeasuresAsync("f1", "m1");
        Assert.Equal(("m1", 7), (mia.MemberId, Assert.Single(Assert.Single(mia.Measures).Answers).Score));
        Assert.Empty(mia.Pulses);
        Assert.Empty((await Circle.GetMeasuresAsync("f1", "m2")).Measures);
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetMeasuresAsync("m2", "m1"));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetMeasuresAsync("outsider", "m1"));

        // Keeping it to herself again: the facilitators hear that it is no longer shared, and read none of it.
        var keeps = await Circle.OptInMeasureAsync("m1", new(Id(), measureId, ShareWithFacilitators: false));
        Assert.Contains((await Circle.ReadEventsAsync("f1", 0, 200)).Events, e => e.EventId == keeps.EventId);
        Assert.Empty((await Circle.GetMeasuresAsync("f1", "m1")).Measures);
        await Circle.OptInMeasureAsync("m1", new(Id(), measureId, ShareWithFacilitators: true));
        Assert.Single((await Circle.GetMeasuresAsync("f1", "m1")).Measures);

        await Circle.StopMeasureAsync("m1", new(Id(), measureId));
        Assert.Empty((await Circle.GetMeasuresAsync("f1", "m1")).Measures);
        var own = Assert.Single((await Circle.GetMeasuresAsync("m1")).Measures);
        Assert.Equal((null, 1), (own.Consent, own.Answers.Count)); // stopped, and still theirs to read
        var again = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.StopMeasureAsync("m1", new(Id(), measureId)));
        Assert.Contains("measureId", again.Errors.Keys);
    }

    [Fact]
    public async Task A_retired_measure_is_no_longer_answered_and_stays_in_the_views_of_those_who_answered_it()
    {
        var measureId = await OfferedWeekCheck();
        await Circle.OptInMeasureAsync("m1", new(Id(), measureId, false));
        await Circle.AnswerMeasureAsync("m1", new(Id(), measureId, false, [1, 0, 3]));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.RetireMeasureAsync("m1", new(Id(), measureId)));

        await Circle.RetireMeasureAsync("f1", new(Id(), measureId));
        var twice = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.RetireMeasureAsync("f1", new(Id(), measureId)));
        Assert.Equal("This measure is already no longer offered.", twice.Errors["measureId"].Single());

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AnswerMeasureAsync("m1", new(Id(), measureId, false, [1, 0, 3])));
        Assert.Contains("measureId", refused.Errors.Keys);
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.OptInMeasureAsync("m2", new(Id(), measureId, false)));
        var kept = Assert.Single((await Circle.GetMeasuresAsync("m1")).Measures);
        Assert.Equal((false, null, 1), (kept.Measure.IsOffered, kept.NextDue, kept.Answers.Count));
        Assert.Empty((await Circle.GetMeasuresAsync("m2")).Measures);
    }

    /// <summary>Fran's circle meets Mondays 19:00–20:30 UTC; the time to reflect is two hours after.</summary>
    private async Task<string> MeetingMondays()
    {
        await Circle.SetSessionScheduleAsync("f1", new(Id(), "weekly", "UTC", "Monday", "19:00", 90, ReflectWindowMinutes: 120));
        return "2026-01-05T19:00";
    }

    [Fact]
    public async Task The_pulse_is_open_only_in_the_time_to_reflect_and_reaches_facilitators_as_distributions_of_three_or_more()
    {
        var session = await MeetingMondays();
        var early = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AnswerPulseAsync("m1", new(Id(), session, 4, 4, 4, null)));
        Assert.Contains("session", early.Errors.Keys);
        Assert.Null((await Circle.GetMeasuresAsync("m1")).PulseOpenFor);

        _clock.SetUtcNow(new DateTimeOffset(2026, 1, 5, 20, 45, 0, TimeSpan.Zero));
        Assert.Equal(session, (await Circle.GetMeasuresAsync("m1")).PulseOpenFor?.Key);
        await Circle.AnswerPulseAsync("m1", new(Id(), session, 2, null, 5, "tired"));
        await Circle.AnswerPulseAsync("m2", new(Id(), session, 4, 4, null, null));
        var two = Assert.Single(await Circle.GetPulseSummariesAsync("f1", 5));
        Assert.Equal((session, 2, null, null, null), (two.Session, two.Answers, two.Heard, two.Safe, two.Mattered));

        await Circle.AnswerPulseAsync("m3", new(Id(), session, 4, 5, 3, null));
        await Circle.AnswerPulseAsync("m1", new(Id(), session, 3, null, 5, null)); // changed her mind: the latest counts
        var three = Assert.Single(await Circle.GetPulseSummariesAsync("f1", 5));
        Assert.Equal(3, three.Answers);
        Assert.Equal(new Dictionary<int, int> { [1] = 0, [2] = 0, [3] = 1, [4] = 2, [5] = 0 }, three.Heard);
        Assert.Null(three.Safe); // two answered it
        Assert.Null(three.Mattered);
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetPulseSummariesAsync("m1", 5));
        Assert.Equal(2, (await Circle.GetMeasuresAsync("m1")).Pulses.Count);
        Assert.All(Stored(EventTypes.SessionPulse), e => Assert.Equal(Visibility.Private, e.Visibility));

        _clock.SetUtcNow(new DateTimeOffset(2026, 1, 5, 22, 31, 0, TimeSpan.Zero));
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AnswerPulseAsync("m4", new(Id(), session, 4, 4, 4, null)));
    }
}
