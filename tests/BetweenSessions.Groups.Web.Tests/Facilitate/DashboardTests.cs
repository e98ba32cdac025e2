using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Web.Components.Facilitate;

namespace BetweenSessions.Groups.Web.Tests.Facilitate;

/// <summary>
/// The pure views behind the facilitator dashboard: participation without ranking, and group views that hide every
/// slice standing for fewer than <see cref="GroupAggregates.MinimumGroupSize"/> people.
/// </summary>
public sealed class DashboardTests
{
    private static readonly TimeZoneInfo Utc = TimeZoneInfo.Utc;
    // A Wednesday afternoon; the week began on Monday 16 November.
    private static readonly DateTimeOffset Now = new(2026, 11, 18, 15, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Monday = new(2026, 11, 16, 10, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Tuesday = Monday.AddDays(1);
    private long _seq;

    private static readonly CircleMember[] Members =
    [
        new("a", "Ada", CircleRole.Member, Now.AddDays(-60)),
        new("b", "Bo", CircleRole.Member, Now.AddDays(-60)),
        new("c", "Cy", CircleRole.Member, Now.AddDays(-60)),
        new("d", "Dee", CircleRole.Facilitator, Now.AddDays(-60)),
    ];

    [Fact]
    public void The_minimum_group_size_is_three() => Assert.Equal(3, GroupAggregates.MinimumGroupSize);

    [Fact]
    public void A_weekday_with_two_people_is_hidden_and_with_three_it_shows()
    {
        var two = new[] { CheckIn("a", Monday, Capacity.Steady), CheckIn("b", Monday, Capacity.Steady), CheckIn("b", Monday.AddHours(2), Capacity.Steady) };
        var three = two.Append(CheckIn("c", Monday, Capacity.Steady)).ToArray();

        var hidden = Day(Dashboard.CapacityOverWeek(two, Monday.AddDays(-1), Utc), DayOfWeek.Monday);
        var shown = Day(Dashboard.CapacityOverWeek(three, Monday.AddDays(-1), Utc), DayOfWeek.Monday);

        Assert.False(hidden.Shown);
        Assert.Empty(hidden.Levels);
        Assert.Equal(0, hidden.Other);
        Assert.True(shown.Shown);
        Assert.Equal([new Dashboard.CapacitySlice(Capacity.Steady, 3)], shown.Levels);
    }

    [Fact]
    public void Within_a_shown_day_a_capacity_of_two_people_is_pooled_or_left_out_never_shown_alone()
    {
        // Monday: three steady, two low, one open. Low and open pool into three people: "other capacities".
        var pooled = new[]
        {
            CheckIn("a", Monday, Capacity.Steady), CheckIn("b", Monday, Capacity.Steady), CheckIn("c", Monday, Capacity.Steady),
            CheckIn("d", Monday, Capacity.Low), CheckIn("e", Monday, Capacity.Low), CheckIn("f", Monday, Capacity.Open),
        };
        // Tuesday: three steady, two low. The two stand for too few people even pooled: left out, and said so.
        var leftOut = new[]
        {
            CheckIn("a", Tuesday, Capacity.Steady), CheckIn("b", Tuesday, Capacity.Steady), CheckIn("c", Tuesday, Capacity.Steady),
            CheckIn("d", Tuesday, Capacity.Low), CheckIn("e", Tuesday, Capacity.Low),
        };

        var week = Dashboard.CapacityOverWeek(pooled.Concat(leftOut), Monday.AddDays(-1), Utc);

        var monday = Day(week, DayOfWeek.Monday);
        Assert.Equal([new Dashboard.CapacitySlice(Capacity.Steady, 3)], monday.Levels);
        Assert.Equal(3, monday.Other);
        Assert.False(monday.SomeLeftOut);
        var tuesday = Day(week, DayOfWeek.Tuesday);
        Assert.Equal([new Dashboard.CapacitySlice(Capacity.Steady, 3)], tuesday.Levels);
        Assert.Equal(0, tuesday.Other);
        Assert.True(tuesday.SomeLeftOut);
        Assert.All(week.SelectMany(d => d.Levels), l => Assert.True(l.People >= GroupAggregates.MinimumGroupSize));
    }

    [Fact]
    public void A_feeling_word_used_by_two_people_is_no_theme_and_by_three_it_is()
    {
        var two = new[]
        {
            CheckIn("a", Monday, Capacity.Some, ["tired"]), CheckIn("a", Tuesday, Capacity.Some, ["Tired", "hopeful"]),
            CheckIn("b", Monday, Capacity.Some, ["tired", "hopeful"]), CheckIn("c", Monday, Capacity.Some, ["hopeful"]),
        };
        var three = two.Append(CheckIn("c", Tuesday, Capacity.Some, ["tired "])).ToArray();

        Assert.Equal(["hopeful"], Dashboard.Themes(two, Monday.AddDays(-1)).Select(t => t.Word));
        Assert.Equal(["hopeful", "tired"], Dashboard.Themes(three, Monday.AddDays(-1)).Select(t => t.Word.ToLowerInvariant()).Order());
    }

    [Fact]
    public void Group_views_look_only_at_the_chosen_period()
    {
        var lastWeek = Monday.AddDays(-7);
        var events = new[]
        {
            CheckIn("a", lastWeek, Capacity.Open, ["calm"]), CheckIn("b", lastWeek, Capacity.Open, ["calm"]), CheckIn("c", lastWeek, Capacity.Open, ["calm"]),
        };
        var thisWeek = Dashboard.Start(Period.ThisWeek, Now, Utc);

        Assert.Equal(new DateTimeOffset(2026, 11, 16, 0, 0, 0, TimeSpan.Zero), thisWeek);
        Assert.All(Dashboard.CapacityOverWeek(events, thisWeek, Utc), d => Assert.False(d.Shown));
        Assert.Empty(Dashboard.Themes(events, thisWeek));
        Assert.True(Day(Dashboard.CapacityOverWeek(events, Dashboard.Start(Period.PastTwoWeeks, Now, Utc), Utc), DayOfWeek.Monday).Shown);
    }

    [Fact]
    public void Member_order_and_presence_facts_do_not_follow_activity()
    {
        var quiet = Array.Empty<CircleEvent>();
        var busy = Enumerable.Range(0, 20).Select(i => CheckIn("c", Now.AddHours(-i), Capacity.Open))
            .Append(CheckIn("a", Now.AddDays(-1), Capacity.Low)).ToArray();
        var from = Dashboard.Start(Period.ThisWeek, Now, Utc);

        var before = Dashboard.People(Members, quiet, new Dictionary<string, DateTimeOffset>(), new HashSet<string>(), from, Utc);
        var after = Dashboard.People(Members, busy, new Dictionary<string, DateTimeOffset> { ["c"] = Now, ["a"] = Now.AddDays(-1) },
            new HashSet<string>(), from, Utc);

        Assert.Equal(Members.Select(m => m.MemberId), before.Select(p => p.MemberId));
        Assert.Equal(Members.Select(m => m.MemberId), after.Select(p => p.MemberId));
        // Twenty check-ins and one read the same: one mark, and a date; nothing at all for someone not heard from.
        Assert.Equal([Dashboard.ShowedUp.CheckIn], after[2].Marks);
        Assert.Equal(DateOnly.FromDateTime(Now.Date), after[2].LastHeardFrom);
        Assert.Equal([Dashboard.ShowedUp.CheckIn], after[0].Marks);
        Assert.Equal(DateOnly.FromDateTime(Now.AddDays(-1).Date), after[0].LastHeardFrom);
        Assert.Empty(after[1].Marks);
        Assert.Null(after[1].LastHeardFrom);
        // The facts are the whole record: no count, score or rank field exists to show.
        Assert.Equal(["MemberId", "DisplayName", "Role", "HereNow", "Marks", "LastHeardFrom"],
            typeof(Dashboard.MemberFacts).GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract"));
    }

    [Fact]
    public void Every_way_of_showing_up_counts_once_in_one_fixed_order_and_resting_and_passing_count_too()
    {
        var roundId = Guid.NewGuid();
        // Ada did everything but check in, most of it several times, passed the round and rested from practice.
        var everythingButACheckIn = new[]
        {
            Event("a", EventTypes.Reflected, Now.AddHours(-1), new { text = "noticed" }),
            Event("a", EventTypes.PracticeLogged, Now.AddHours(-2), new { outcome = "rested" }),
            Event("a", EventTypes.PracticeLogged, Now.AddHours(-3), new { outcome = "let-go" }),
            Event("a", EventTypes.BroughtToSession, Now.AddHours(-4), new { text = "the weekend" }),
            Event("a", EventTypes.Acknowledged, Now.AddHours(-5), new { seq = 1 }),
            Event("a", EventTypes.WinShared, Now.AddHours(-6), new { text = "asked for help" }),
            Event("a", EventTypes.RoundAnswered, Now.AddHours(-7), new { roundId, pass = true }),
            Event("a", EventTypes.MemberJoined, Now.AddHours(-8), new { }),
            // Before the period: not this week's.
            Event("b", EventTypes.WinShared, Monday.AddDays(-3), new { text = "last week" }),
            // Bo only made a commitment this week.
            Event("b", EventTypes.CommitmentMade, Now.AddHours(-1), new { what = "walk" }),
        };
        var from = Dashboard.Start(Period.ThisWeek, Now, Utc);

        var people = Dashboard.People(Members, everythingButACheckIn, new Dictionary<string, DateTimeOffset>(), new HashSet<string>(), from, Utc);

        Assert.Equal(
            [Dashboard.ShowedUp.Round, Dashboard.ShowedUp.Win, Dashboard.ShowedUp.WithSomeone, Dashboard.ShowedUp.Practice,
             Dashboard.ShowedUp.Reflection, Dashboard.ShowedUp.Brought],
            people[0].Marks);
        Assert.Equal([Dashboard.ShowedUp.Practice], people[1].Marks);
        Assert.Empty(people[2].Marks);
        var words = new Microsoft.Extensions.Localization.StringLocalizer<DashboardWords>(new Microsoft.Extensions.Localization.ResourceManagerStringLocalizerFactory(
            Microsoft.Extensions.Options.Options.Create(new Microsoft.Extensions.Localization.LocalizationOptions { ResourcesPath = "Resources" }),
            Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance));
        var english = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = System.Globalization.CultureInfo.GetCultureInfo("en");
        try
        {
            Assert.Equal(["Check-in", "Round", "Win", "With you", "Practice", "Reflection", "Something to bring"],
                Enum.GetValues<Dashboard.ShowedUp>().Select(way => words.Mark(way)));
        }
        finally { System.Globalization.CultureInfo.CurrentUICulture = english; }
    }

    [Fact]
    public void In_a_round_everyone_is_answered_passed_or_not_yet_in_the_given_order()
    {
        var roundId = Guid.NewGuid();
        var events = new[]
        {
            Event("c", EventTypes.RoundAnswered, Now, new { roundId, capacity = Capacity.Some, text = "ok", pass = false }),
            Event("a", EventTypes.RoundAnswered, Now, new { roundId, capacity = (string?)null, text = (string?)null, pass = true }),
            Event("b", EventTypes.RoundAnswered, Now, new { roundId = Guid.NewGuid(), capacity = Capacity.Low, text = "other round", pass = false }),
        };

        var lines = Dashboard.Round(Members, events, roundId);

        Assert.Equal(["Ada", "Bo", "Cy", "Dee"], lines.Select(l => l.DisplayName));
        Assert.Equal([Dashboard.AnswerKind.Passed, Dashboard.AnswerKind.NotYet, Dashboard.AnswerKind.Answered, Dashboard.AnswerKind.NotYet],
            lines.Select(l => l.Kind));
        Assert.Equal((Capacity.Some, "ok"), (lines[2].Capacity, lines[2].Text));
    }

    [Fact]
    public void An_ended_round_leaves_counts_that_each_stand_for_three_people_or_say_fewer()
    {
        CircleMember[] six = [.. Members, new("e", "Eli", CircleRole.Member, Now.AddDays(-60)), new("f", "Fay", CircleRole.Member, Now.AddDays(-60))];
        var earlier = Guid.NewGuid();
        var roundId = Guid.NewGuid();
        var events = new[]
        {
            Event("d", EventTypes.RoundEnded, Now.AddDays(-1), new { roundId = earlier, prompt = "Before" }),
            Event("a", EventTypes.RoundAnswered, Now.AddMinutes(1), new { roundId, capacity = Capacity.Some, text = "ok", pass = false }),
            Event("b", EventTypes.RoundAnswered, Now.AddMinutes(2), new { roundId, capacity = Capacity.Low, text = (string?)null, pass = false }),
            Event("c", EventTypes.RoundAnswered, Now.AddMinutes(3), new { roundId, capacity = (string?)null, text = (string?)null, pass = true }),
            Event("e", EventTypes.RoundAnswered, Now.AddMinutes(4), new { roundId, capacity = Capacity.Open, text = "here", pass = false }),
            Event("d", EventTypes.RoundEnded, Now.AddMinutes(10), new { roundId, prompt = "One word for today" }),
            // After it ended: not part of it.
            Event("f", EventTypes.RoundAnswered, Now.AddMinutes(11), new { roundId, capacity = Capacity.Open, text = "late", pass = false }),
        };

        var summary = Dashboard.LastRound(six, events)!;

        Assert.Equal("One word for today", summary.Prompt);
        Assert.Equal(Now.AddMinutes(10), summary.EndedAt);
        Assert.Equal(3, summary.Answered);
        Assert.Null(summary.Passed);    // one person: fewer than three
        Assert.Null(summary.StillOpen); // Dee and Fay
        Assert.Null(Dashboard.LastRound(six, events.Where(e => e.Type != EventTypes.RoundEnded)));
    }

    [Fact]
    public void The_agenda_holds_items_for_the_circle_and_for_the_facilitators_and_alerts_hold_support_alone()
    {
        var forCircle = Event("a", EventTypes.BroughtToSession, Now, new { text = "Sleep" });
        var forFacilitators = Event("b", EventTypes.BroughtToSession, Now, new { text = "Something hard" }, Visibility.Facilitators);
        var support = Event("c", EventTypes.SupportRequested, Now, new { note = (string?)null }, Visibility.Facilitators);
        var discussed = Event("d", EventTypes.AgendaItemDiscussed, Now, new { targetEventId = forCircle.EventId });
        var seen = Event("d", EventTypes.AlertAcknowledged, Now, new { targetEventId = support.EventId, targetType = support.Type }, Visibility.Facilitators);
        var seenAgain = Event("e", EventTypes.AlertAcknowledged, Now.AddMinutes(1), new { targetEventId = support.EventId, targetType = support.Type }, Visibility.Facilitators);
        CircleEvent[] events = [forCircle, forFacilitators, support, discussed, seen, seenAgain];

        var agenda = Dashboard.Agenda(events);
        var alerts = Dashboard.Alerts(events);

        Assert.Equal([(forCircle.EventId, discussed.EventId), (forFacilitators.EventId, (Guid?)null)],
            agenda.Select(a => (a.Entry.EventId, a.By?.EventId)));
        Assert.Equal([support.EventId], alerts.Select(a => a.Request.EventId));
        Assert.Equal(seenAgain.EventId, alerts[0].Acknowledged!.EventId); // the latest acknowledgement is the record
        Assert.False(alerts[0].IsWaiting);
    }

    [Fact]
    public void A_request_waits_until_acknowledged_again_after_a_note_and_a_withdrawn_one_waits_no_more()
    {
        var support = Event("m", EventTypes.SupportRequested, Now, new { note = "Hard night" }, Visibility.Facilitators);
        var other = Event("n", EventTypes.SupportRequested, Now, new { note = (string?)null }, Visibility.Facilitators);
        var seen = Event("f", EventTypes.AlertAcknowledged, Now.AddMinutes(1), new { targetEventId = support.EventId }, Visibility.Facilitators);
        var note = Event("m", EventTypes.SupportNoteAdded, Now.AddMinutes(2), new { targetEventId = support.EventId, note = "Worse" }, Visibility.Facilitators);
        var withdrawn = Event("n", EventTypes.SupportWithdrawn, Now.AddMinutes(3), new { targetEventId = other.EventId }, Visibility.Facilitators);

        var threads = Dashboard.Alerts([support, other, seen, note, withdrawn]);

        Assert.Equal([(support.EventId, true, true), (other.EventId, false, false)],
            threads.Select(t => (t.Request.EventId, t.IsWaiting, t.HasNewNote)));
        Assert.Equal([note.EventId], threads[0].Notes.Select(n => n.EventId));
        Assert.Equal(withdrawn.EventId, threads[1].Withdrawn!.EventId);
        // Before the note, the acknowledgement answered it.
        Assert.False(Dashboard.Alerts([support, seen])[0].IsWaiting);
        Assert.False(threads[1].CanWithdraw(Now)); // withdrawn already
        Assert.True(Dashboard.Alerts([support])[0].CanWithdraw(Now.Add(SupportRequests.WithdrawWindow).AddSeconds(-1)));
        Assert.False(Dashboard.Alerts([support])[0].CanWithdraw(Now.Add(SupportRequests.WithdrawWindow)));
    }

    private static Dashboard.WeekdaySpread Day(IReadOnlyList<Dashboard.WeekdaySpread> week, DayOfWeek day) => week.Single(d => d.Day == day);

    private CircleEvent CheckIn(string memberId, DateTimeOffset at, string capacity, string[]? feelings = null) =>
        Event(memberId, EventTypes.CheckIn, at, new { capacity, feelings = feelings ?? [], note = (string?)null });

    private CircleEvent Event(string memberId, string type, DateTimeOffset at, object payload, Visibility visibility = Visibility.Circle) =>
        new(Guid.Empty, ++_seq, Guid.NewGuid(), type, at, memberId, memberId.ToUpperInvariant(), visibility, null,
            EventPayload.Serialize(payload));
}
