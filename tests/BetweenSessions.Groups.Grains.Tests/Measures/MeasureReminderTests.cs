using BetweenSessions.Groups.Contracts.Measures;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Measures;

/// <summary>
/// The reminder of a measure a member chose, in an Orleans silo with a fake clock (it starts Monday 5 January 2026,
/// 09:00 UTC). Fran facilitates and offers "Week check", asked every seven days; Mia opts in. A reminder is an ordinary
/// nudge: it waits for her, never chases her, and her quiet hours, lighter week and pause hold it back.
/// </summary>
public sealed class MeasureReminderTests
{
    private static readonly DateTimeOffset Start = TestClock.Start;
    private static readonly TimeSpan Day = TimeSpan.FromDays(1);
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryReminderTable _reminders = new();
    private readonly InMemoryCircleStore _store = new();
    private readonly Guid _circleId = Guid.NewGuid();
    private Guid _measureId;

    private ICircleGrain Circle(GroupsGrainHost host) => host.Grains.GetGrain<ICircleGrain>(_circleId);

    private static string Id() => Guid.NewGuid().ToString("N");

    /// <summary>Four items on a 0–3 scale over the last seven days, made up for the test.</summary>
    private static MeasureDraft WeekCheck(int recallDays = 7) => new(
        null, "Week check", "Over the last 7 days, how often…", recallDays,
        [new(0, "Not at all"), new(1, "Some days"), new(2, "Most days"), new(3, "Every day")],
        [new("Felt tense"), new("Slept badly"), new("Felt rested"), new("Felt at ease", Reverse: true)],
        [new(0, 3, "quiet"), new(4, 7, "some"), new(8, 12, "a lot")]);

    /// <summary>Fran's circle offers "Week check" every seven days; Mia (settings as given) is a member and opts in now.</summary>
    private async Task<GroupsGrainHost> MiaOptedIn(MemberSettings? settings = null, bool optIn = true, int everyDays = 7)
    {
        var host = await GroupsGrainHost.StartAsync(new InMemoryGrainStorage(), _reminders, _store, _clock);
        if (settings is not null) await host.Grains.GetGrain<IMemberSettingsGrain>("mia").SaveAsync(settings);
        var created = await Circle(host).CreateAsync("fran", "Fran", "Tuesday group");
        await Circle(host).JoinAsync("mia", "Mia", created.InviteCode!);
        await Circle(host).OfferMeasureAsync("fran", new OfferMeasureDraft(Id(), WeekCheck(Math.Min(everyDays, 7)), everyDays));
        _measureId = (await Circle(host).GetMeasuresAsync("fran")).Measures.Single().Measure.MeasureId;
        if (optIn) await OptIn(host);
        return host;
    }

    private Task OptIn(GroupsGrainHost host, bool share = false) =>
        Circle(host).OptInMeasureAsync("mia", new OptInMeasureDraft(Id(), _measureId, share));

    private Task Answer(GroupsGrainHost host, bool notThisWeek = false) =>
        Circle(host).AnswerMeasureAsync("mia", new AnswerMeasureDraft(Id(), _measureId, notThisWeek, notThisWeek ? null : [1, null, 2, 1]));

    private async Task<IReadOnlyList<Notification>> Nudges(GroupsGrainHost host, string member = "mia") =>
        (await host.Grains.GetGrain<INudgeGrain>(member).ListAsync()).Where(n => n.Kind == NudgeKinds.Measure).ToList();

    private DateTimeOffset? Armed(string member = "mia") =>
        _reminders.ArmedFor(GrainId.Create("measurereminder", member), $"measure:{_measureId:N}");

    private string Key(DateTimeOffset period, string member = "mia") => $"measure:{_measureId:N}:{member}:{period.UtcTicks}";

    [Fact]
    public async Task After_opting_in_without_answering_a_gentle_nudge_comes_a_day_later_and_then_once_a_period()
    {
        await using var host = await MiaOptedIn();
        Assert.Equal(Start + Day, Armed());
        Assert.Null(Armed("fran"));

        await host.UntilAsync(Start + Day - TimeSpan.FromMinutes(1));
        Assert.Empty(await Nudges(host));
        await host.UntilAsync(Start + Day);
        var nudge = Assert.Single(await Nudges(host));
        Assert.Equal(Key(Start + Day), nudge.Key);
        Assert.Equal("Week check is open, if you like", nudge.Title);
        Assert.Equal("Skipping an item, or \"not this week\", counts as an answer.", nudge.Text);
        Assert.Equal(new[] { "Week check" }, nudge.Args);
        Assert.Equal($"/circles/{_circleId}/measures", nudge.Link);
        Assert.Equal(_circleId, nudge.CircleId);
        Assert.Equal(Start + 3 * Day, nudge.ValidUntil);
        foreach (var word in new[] { "missed", "overdue", "late", "streak", "behind", "again", "still" })
            Assert.DoesNotContain(word, nudge.Title + nudge.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Start + Day + Week, Armed());

        // Not answering is not chased: nothing more until the next period.
        await host.UntilAsync(Start + Day + Week - TimeSpan.FromMinutes(1));
        Assert.Empty(await Nudges(host)); // the first one has left the list by now
        await host.UntilAsync(Start + Day + Week);
        Assert.Equal([Key(Start + Day + Week)], (await Nudges(host)).Select(n => n.Key));
        Assert.Empty(await Nudges(host, "fran"));
    }

    [Fact]
    public async Task After_an_answer_the_next_nudge_comes_a_period_after_it_and_not_before()
    {
        await using var host = await MiaOptedIn();
        await host.UntilAsync(Start + TimeSpan.FromHours(2));
        await Answer(host);
        var answeredAt = Start + TimeSpan.FromHours(2);
        Assert.Equal(answeredAt + Week, Armed());

        await host.UntilAsync(answeredAt + Week - TimeSpan.FromMinutes(1));
        Assert.Empty(await Nudges(host));
        await host.UntilAsync(answeredAt + Week);
        Assert.Equal([Key(answeredAt + Week)], (await Nudges(host)).Select(n => n.Key));
        Assert.Equal(answeredAt + 2 * Week, Armed());
    }

    [Fact]
    public async Task Not_this_week_is_an_answer_too_and_the_next_comes_a_period_after_it()
    {
        await using var host = await MiaOptedIn();
        await host.UntilAsync(Start + Day);
        Assert.Single(await Nudges(host));
        await host.UntilAsync(Start + Day + TimeSpan.FromHours(3));
        await Answer(host, notThisWeek: true);
        var answeredAt = Start + Day + TimeSpan.FromHours(3);
        Assert.Equal(answeredAt + Week, Armed());

        await host.UntilAsync(answeredAt + Week - TimeSpan.FromMinutes(1));
        Assert.Empty(await Nudges(host));
        await host.UntilAsync(answeredAt + Week);
        Assert.Equal([Key(answeredAt + Week)], (await Nudges(host)).Select(n => n.Key));
    }

    [Fact]
    public async Task An_answer_given_meanwhile_means_no_nudge_even_when_an_older_arming_fires()
    {
        await using var host = await MiaOptedIn();
        await host.UntilAsync(Start + TimeSpan.FromHours(1));
        await Answer(host);
        // As if the circle's arming after the answer had been lost: the reminder still fires at the first day.
        await host.Grains.GetGrain<IMeasureReminderGrain>("mia").SetAsync(_circleId, _measureId, Start + Day);

        await host.UntilAsync(Start + Day);
        Assert.Empty(await Nudges(host));
        Assert.Equal(Start + TimeSpan.FromHours(1) + Week, Armed());
    }

    [Fact]
    public async Task Stopping_ends_the_reminder()
    {
        await using var host = await MiaOptedIn();
        await Circle(host).StopMeasureAsync("mia", new StopMeasureDraft(Id(), _measureId));
        Assert.Null(Armed());

        await host.UntilAsync(Start + 3 * Week);
        Assert.Empty(await Nudges(host));
    }

    [Fact]
    public async Task Leaving_the_circle_ends_the_reminder()
    {
        await using var host = await MiaOptedIn();
        await Circle(host).LeaveAsync("mia");
        Assert.Null(Armed());

        await host.UntilAsync(Start + 3 * Week);
        Assert.Empty(await Nudges(host));
    }

    [Fact]
    public async Task A_retired_measure_is_not_asked_again_and_its_reminder_ends_quietly_at_its_time()
    {
        await using var host = await MiaOptedIn();
        await Circle(host).RetireMeasureAsync("fran", new RetireMeasureDraft(Id(), _measureId));

        await host.UntilAsync(Start + 3 * Week);
        Assert.Empty(await Nudges(host));
        Assert.Null(Armed());
    }

    [Fact]
    public async Task Erasing_what_they_wrote_ends_the_reminder()
    {
        await using var host = await MiaOptedIn();
        await Circle(host).EraseAuthoredAsync("mia");
        Assert.Null(Armed());

        await host.UntilAsync(Start + 3 * Week);
        Assert.Empty(await Nudges(host));
    }

    [Fact]
    public async Task Quiet_hours_hold_it_until_they_end()
    {
        // Tuesday 09:00 UTC falls in Mia's quiet morning (08:00 to 10:00 UTC).
        await using var host = await MiaOptedIn(new MemberSettings(QuietFrom: "08:00", QuietTo: "10:00"));
        await host.UntilAsync(Start + Day);
        Assert.Empty(await Nudges(host));

        await host.UntilAsync(Start + Day + TimeSpan.FromHours(1));
        var nudge = Assert.Single(await Nudges(host));
        Assert.Equal(Key(Start + Day), nudge.Key);
        Assert.Equal(Start + Day + TimeSpan.FromHours(1), nudge.DeliveredAt);
    }

    [Fact]
    public async Task A_paused_member_gets_none_and_the_period_after_a_pause_brings_the_next()
    {
        await using var host = await MiaOptedIn(new MemberSettings(PauseAllNudges: true));
        await host.UntilAsync(Start + Day + TimeSpan.FromHours(12));
        Assert.Empty(await Nudges(host));
        // Held back, not kept for later: lifting the pause does not bring it.
        await host.Grains.GetGrain<IMemberSettingsGrain>("mia").SaveAsync(new MemberSettings());
        await host.UntilAsync(Start + Day + Week - TimeSpan.FromMinutes(1));
        Assert.Empty(await Nudges(host));

        await host.UntilAsync(Start + Day + Week);
        Assert.Equal([Key(Start + Day + Week)], (await Nudges(host)).Select(n => n.Key));
    }

    [Fact]
    public async Task A_lighter_week_holds_it_back_after_another_nudge_that_week()
    {
        await using var host = await MiaOptedIn(new MemberSettings(LighterWeek: true));
        // This week's one nudge already came (an invitation to reflect).
        await host.Grains.GetGrain<INudgeGrain>("mia").OfferAsync(
            new NudgeRequest("reflect-test", NudgeKinds.Reflect, "A moment to reflect, if you like", "What stays with you?"));

        await host.UntilAsync(Start + Day + TimeSpan.FromHours(12));
        Assert.Empty(await Nudges(host));

        // A week on from that other nudge, the next period's is the week's one.
        await host.UntilAsync(Start + Day + Week);
        Assert.Equal([Key(Start + Day + Week)], (await Nudges(host)).Select(n => n.Key));
    }

    [Fact]
    public async Task One_nudge_a_period_even_if_the_reminder_fires_twice_in_it()
    {
        await using var host = await MiaOptedIn();
        await host.UntilAsync(Start + Day);
        Assert.Single(await Nudges(host));

        // Armed again within the same period, and fired at once: the period's nudge was already decided.
        await host.Grains.GetGrain<IMeasureReminderGrain>("mia").SetAsync(_circleId, _measureId, Start + Day + TimeSpan.FromHours(1));
        await host.UntilAsync(Start + Day + TimeSpan.FromHours(2));
        Assert.Equal([Key(Start + Day)], (await Nudges(host)).Select(n => n.Key));
        Assert.Equal(Start + Day + Week, Armed());
        Assert.Contains(host.Ticks, t => t.Name == $"measure:{_measureId:N}" && t.FirstTickTime == (Start + Day + TimeSpan.FromHours(1)).UtcDateTime);
    }

    [Fact]
    public async Task A_daily_measure_s_nudge_leaves_the_list_when_the_next_day_s_comes()
    {
        await using var host = await MiaOptedIn(everyDays: 1);
        await host.UntilAsync(Start + Day);
        Assert.Equal(Start + 2 * Day, Assert.Single(await Nudges(host)).ValidUntil);

        await host.UntilAsync(Start + 2 * Day);
        Assert.Equal([Key(Start + 2 * Day)], (await Nudges(host)).Select(n => n.Key));
    }

    [Fact]
    public async Task Changing_whom_they_share_with_does_not_start_their_cadence_over()
    {
        await using var host = await MiaOptedIn();
        await host.UntilAsync(Start + TimeSpan.FromHours(1));
        await Answer(host);
        await host.UntilAsync(Start + TimeSpan.FromHours(2));
        await OptIn(host, share: true);

        // Still a period after the answer, not a day after the new choice.
        Assert.Equal(Start + TimeSpan.FromHours(1) + Week, Armed());
        await host.UntilAsync(Start + 2 * Day);
        Assert.Empty(await Nudges(host));
        var mine = Assert.Single((await Circle(host).GetMeasuresAsync("mia")).Measures);
        Assert.Equal(Start, mine.Consent!.Since);
        Assert.True(mine.Consent.SharedWithFacilitators);
        Assert.Equal(Start + TimeSpan.FromHours(1) + Week, mine.NextDue);
    }

    private static CircleEvent Entry(long seq, string type, DateTimeOffset at, object payload) =>
        new(Guid.Empty, seq, Guid.NewGuid(), type, at, "mia", "Mia", Visibility.Private, null, EventPayload.Serialize(payload));

    [Fact]
    public void The_choice_runs_from_the_first_opt_in_after_the_latest_stop_and_shares_as_the_latest_says()
    {
        var id = Guid.NewGuid();
        var log = new List<CircleEvent>
        {
            Entry(1, EventTypes.MeasureOptedIn, Start, new MeasureChoicePayload(id, false)),
            Entry(2, EventTypes.MeasureOptedIn, Start + Day, new MeasureChoicePayload(Guid.NewGuid(), true)),
            Entry(3, EventTypes.MeasureOptedIn, Start + 2 * Day, new MeasureChoicePayload(id, true)),
        };
        Assert.Equal(new MeasureConsent(Start, true), MeasureHistory.ConsentOf(id, log));

        log.Add(Entry(4, EventTypes.MeasureStopped, Start + 3 * Day, new MeasureChoicePayload(id, true)));
        Assert.Null(MeasureHistory.ConsentOf(id, log));

        log.Add(Entry(5, EventTypes.MeasureOptedIn, Start + 4 * Day, new MeasureChoicePayload(id, false)));
        Assert.Equal(new MeasureConsent(Start + 4 * Day, false), MeasureHistory.ConsentOf(id, log));
        Assert.Null(MeasureHistory.ConsentOf(Guid.NewGuid(), log));
    }

    [Fact]
    public void Every_instant_of_a_period_belongs_to_the_same_reminder_and_the_next_is_a_period_on()
    {
        var measure = new OfferedMeasure(Guid.NewGuid(), WeekCheck().Validate(), 7, Start - Week);
        var consent = new MeasureConsent(Start, false);

        Assert.Null(MeasureHistory.ReminderPeriod(measure, consent, [], Start + Day - TimeSpan.FromTicks(1)));
        Assert.Equal(Start + Day, MeasureHistory.NextReminder(measure, consent, [], Start));
        foreach (var now in new[] { Start + Day, Start + 2 * Day, Start + Day + Week - TimeSpan.FromTicks(1) })
        {
            Assert.Equal(Start + Day, MeasureHistory.ReminderPeriod(measure, consent, [], now));
            Assert.Equal(Start + Day + Week, MeasureHistory.NextReminder(measure, consent, [], now));
        }
        Assert.Equal(Start + Day + Week, MeasureHistory.ReminderPeriod(measure, consent, [], Start + Day + Week));

        // After an answer: nothing is due until a period after it.
        MeasureAnswer[] answered = [new(Guid.NewGuid(), Start + TimeSpan.FromHours(3), true, null, null, 0)];
        Assert.Null(MeasureHistory.ReminderPeriod(measure, consent, answered, Start + Week));
        Assert.Equal(Start + TimeSpan.FromHours(3) + Week, MeasureHistory.NextReminder(measure, consent, answered, Start + Week));
        // Nothing at all when not opted in, or no longer offered.
        Assert.Null(MeasureHistory.NextReminder(measure, null, [], Start));
        Assert.Null(MeasureHistory.NextReminder(measure with { RetiredAt = Start }, consent, [], Start));
    }
}
