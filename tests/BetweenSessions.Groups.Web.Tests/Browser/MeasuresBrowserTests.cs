using System.Globalization;
using System.Text.RegularExpressions;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A member's measures on a phone (issue 17): opting in to a measure the facilitator offered, the safety notice before
/// the items, answers with an item left ("not scored", never zero), then every item (the clinic's band, a dot on their
/// own chart), a safety answer that shows the crisis resources at once; none of it ever in the circle's feed. And the
/// session pulse, offered while a session's time to reflect is open.
/// </summary>
[Collection(ClockedAppFixture.Collection)]
public sealed class MeasuresBrowserTests(ClockedAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 375, Height = 740 };
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 900 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_member_on_a_phone_opts_in_answers_sees_their_band_and_chart_a_safety_answer_shows_support_at_once_and_their_facilitator_reads_the_trend()
    {
        var (circleId, alex, robin) = await CircleWithMeasureAsync("Tuesday circle");
        var member = await SignInAsync(robin);
        var page = member.Page;
        var report = new Dictionary<string, IReadOnlyList<string>>();

        // A quiet link on the circle page, one step.
        await page.GotoAsync($"/circles/{circleId}");
        await member.WaitForCirclePageAsync();
        // Followed at once, as a person would: the link loads the page in full (CirclePage.razor says why).
        await page.GetByTestId("my-measures-link").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/circles/{circleId}/measures$"));
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Measures", Level = 1 })).ToBeVisibleAsync();
        var card = page.GetByTestId("measure");
        await Assertions.Expect(card.GetByRole(AriaRole.Heading, new() { Name = MeasureSteps.Name })).ToBeVisibleAsync();
        await Assertions.Expect(card).ToContainTextAsync(MeasureSteps.Instructions);
        await Assertions.Expect(card).ToContainTextAsync("These questions are about the last 14 days.");
        await AxeScan.ScanAsync(page, "measures page, not opted in", report);

        // Nothing is chosen for them: asked to choose, then "me and my facilitators".
        await card.GetByRole(AriaRole.Button, new() { Name = "Start answering this" }).ClickAsync();
        await Assertions.Expect(card.Locator(".form-error")).ToHaveTextAsync("Choose who sees your answers first.");
        await Assertions.Expect(card).ToContainTextAsync("never next to anyone else's");
        await MemberSide.ChooseAsync(card.Locator("fieldset.measure-share"), "Me and my facilitators");
        await card.GetByRole(AriaRole.Button, new() { Name = "Start answering this" }).ClickAsync();
        await Assertions.Expect(card.GetByTestId("measure-shared")).ToContainTextAsync("You and your facilitators see your answers over time");

        // Told before the items, in plain words.
        var notice = card.GetByTestId("measure-safety-notice");
        await Assertions.Expect(notice).ToHaveTextAsync(
            "Before you answer: some answers here show you support contacts at once and let your facilitators know you may need support.");
        var form = card.GetByTestId("measure-form");
        Assert.True(await notice.EvaluateAsync<bool>(
            "(n, f) => !!(n.compareDocumentPosition(f) & Node.DOCUMENT_POSITION_FOLLOWING)", await form.ElementHandleAsync()),
            "The safety notice comes before the items.");
        Assert.True(await member.FitsTheScreenAsync(), "The measures page is wider than a phone's screen.");
        await AxeScan.ScanAsync(page, "measures page, answer form on a phone", report);

        // The second item left: recorded, not scored, never a zero.
        await MeasureSteps.AnswerAsync(card, "Several days", null, "Not at all");
        await MemberSide.PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }));
        var result = card.GetByTestId("measure-result");
        await Assertions.Expect(result).ToHaveTextAsync("Recorded. Not scored, as something was left unanswered, and that is fine.");
        await Assertions.Expect(card.GetByTestId("measure-support")).ToHaveCountAsync(0);
        await Assertions.Expect(card.Locator(".measure-gap")).ToHaveCountAsync(1);
        await Assertions.Expect(card.Locator(".measure-point")).ToHaveCountAsync(0);

        // Next time is said gently, with a way to answer again now.
        var next = card.GetByTestId("measure-next");
        await Assertions.Expect(next).ToContainTextAsync("Open again from");
        Assert.DoesNotMatch(new Regex("overdue|late|missed", RegexOptions.IgnoreCase), await next.InnerTextAsync());
        await card.GetByRole(AriaRole.Button, new() { Name = "Answer now anyway" }).ClickAsync();

        // Every item: the clinic's band, and a dot on the chart.
        await MeasureSteps.AnswerAsync(card, "Several days", "Several days", "Not at all");
        await MemberSide.PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }));
        await Assertions.Expect(result).ToHaveTextAsync("Recorded. This reads as 'minimal' on the clinic's bands.");
        await Assertions.Expect(card.Locator(".measure-point")).ToHaveCountAsync(1);
        await Assertions.Expect(card.Locator(".measure-band-name")).ToHaveTextAsync(["minimal", "mild", "moderate"]);
        var list = card.Locator("details.chart-table");
        await list.Locator("summary").ClickAsync();
        await Assertions.Expect(list.Locator("td")).ToHaveTextAsync(["2 · minimal", "Not scored (something was left unanswered)"]);
        // One neutral colour for every dot, the app's calm accent: nothing reads as red for worse or green for better.
        var dots = await card.Locator(".measure-chart svg circle").EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).fill === 'none' ? getComputedStyle(e).stroke : getComputedStyle(e).fill)");
        Assert.All(dots, colour => Assert.Equal("rgb(60, 110, 113)", colour));
        await AxeScan.ScanAsync(page, "measures page with a band and a chart", report);

        // A safety answer: the crisis resources at once, and the facilitators were told.
        await card.GetByRole(AriaRole.Button, new() { Name = "Answer now anyway" }).ClickAsync();
        await MeasureSteps.AnswerAsync(card, "Not at all", "Not at all", "Several days");
        await MemberSide.PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Send my answers" }));
        var support = card.GetByTestId("measure-support");
        await Assertions.Expect(support).ToBeVisibleAsync();
        await Assertions.Expect(support.GetByTestId("crisis-resources").Locator("li.crisis-resource").First).ToContainTextAsync("Emergency services");
        await Assertions.Expect(support.GetByRole(AriaRole.Link, new() { Name = "Call 112" })).ToBeVisibleAsync();
        await Assertions.Expect(support).ToContainTextAsync("Your facilitators were told you may need support.");
        await Assertions.Expect(support).ToBeFocusedAsync();
        await AxeScan.ScanAsync(page, "measures page after a safety answer", report);

        var main = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(new Regex(@"you dropped|worse|better than|streak|overdue|\bzero\b|percent|%", RegexOptions.IgnoreCase), main);

        // The circle's feed: the support request, named as from a measure with nothing of the answers; no measure entry.
        await page.GotoAsync($"/circles/{circleId}");
        await member.WaitForCirclePageAsync();
        var request = page.Locator("ol.feed > li.feed-item[data-type=support-requested]");
        await Assertions.Expect(request).ToHaveCountAsync(1);
        await Assertions.Expect(request).ToContainTextAsync("Asked for support from a measure.");
        Assert.DoesNotMatch(new Regex(@"\d|minimal|mild|moderate|Several days", RegexOptions.IgnoreCase),
            await request.Locator("p").InnerTextAsync());
        await Assertions.Expect(page.Locator("ol.feed > li.feed-item[data-type^=measure-], ol.feed > li.feed-item[data-type=session-pulse]"))
            .ToHaveCountAsync(0);
        Assert.DoesNotContain(MeasureSteps.Name, await page.Locator("ol.feed").InnerTextAsync());

        // Robin shares with her facilitators: Alex reads her trend, the answers she gave on her phone, on her own page.
        var facilitator = await SignInAsync(alex, Laptop);
        await facilitator.Page.GotoAsync($"/circles/{circleId}/facilitate/people/{Uri.EscapeDataString(robin.MemberId)}");
        var trend = facilitator.Page.GetByTestId("member-measure");
        await Assertions.Expect(trend.GetByRole(AriaRole.Heading, new() { Name = MeasureSteps.Name })).ToBeVisibleAsync();
        var chart = trend.Locator("svg.trend-chart");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-points", "2");
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-gaps", "1");
        await Assertions.Expect(trend).ToContainTextAsync("minimal");
        await AxeScan.ScanAsync(facilitator.Page, "a member's trend, read by their facilitator", report);
        AxeScan.AssertClean(report);
    }

    [Fact]
    public async Task Not_this_week_is_a_full_answer_and_a_member_can_change_who_sees_their_answers_and_stop()
    {
        var (circleId, _, robin) = await CircleWithMeasureAsync("Choosing circle");
        var page = (await SignInAsync(robin)).Page;
        await page.GotoAsync($"/circles/{circleId}/measures");
        var card = page.GetByTestId("measure");
        await MemberSide.ChooseAsync(card.Locator("fieldset.measure-share"), "Only me");
        await card.GetByRole(AriaRole.Button, new() { Name = "Start answering this" }).ClickAsync();
        await Assertions.Expect(card.GetByTestId("measure-shared")).ToHaveTextAsync("Only you see your answers.");

        await MemberSide.PressAsync(card.GetByRole(AriaRole.Button, new() { Name = "Not this week" }));
        await Assertions.Expect(card.GetByTestId("measure-result")).ToHaveTextAsync("Recorded as not this week. That is a full answer.");
        await Assertions.Expect(card.Locator(".measure-gap")).ToHaveCountAsync(1);
        await Assertions.Expect(card.Locator(".measure-point")).ToHaveCountAsync(0);

        await card.Locator("details.measure-choice summary").ClickAsync();
        await MemberSide.ChooseAsync(card.Locator("details.measure-choice fieldset.measure-share"), "Me and my facilitators");
        await card.GetByRole(AriaRole.Button, new() { Name = "Keep this choice" }).ClickAsync();
        await Assertions.Expect(card.GetByTestId("measure-shared")).ToContainTextAsync("You and your facilitators see your answers over time");

        // Stopping: asked to choose again to start, and what was answered stays on their own page.
        await card.GetByRole(AriaRole.Button, new() { Name = "Stop answering this" }).ClickAsync();
        await Assertions.Expect(card.GetByRole(AriaRole.Button, new() { Name = "Start answering this" })).ToBeVisibleAsync();
        await Assertions.Expect(card.Locator(".measure-gap")).ToHaveCountAsync(1);
        var view = await app.Circle(circleId).GetMeasuresAsync(robin.MemberId);
        Assert.Null(view.Measures.Single().Consent);
        Assert.True(view.Measures.Single().Answers.Single().NotThisWeek);
    }

    [Fact]
    public async Task Measure_entries_never_reach_the_feed_of_anyone_in_the_circle_live_or_loaded()
    {
        var (circleId, alex, robin) = await CircleWithMeasureAsync("Live circle");
        var alexPage = (await SignInAsync(alex)).Page;
        await alexPage.GotoAsync($"/circles/{circleId}");
        await Assertions.Expect(alexPage.Locator("h2#checkin-heading")).ToBeVisibleAsync();
        await alexPage.WaitForFunctionAsync("() => window.bsg && window.bsg.connection.live");

        // Robin opts in sharing with the facilitators and answers while Alex's page is open: Alex's feed gets nothing
        // of it but the support request the safety answer raised.
        var circle = app.Circle(circleId);
        var measureId = (await circle.GetMeasuresAsync(robin.MemberId)).Measures.Single().Measure.MeasureId;
        await circle.OptInMeasureAsync(robin.MemberId, new OptInMeasureDraft(null, measureId, true));
        await circle.AnswerMeasureAsync(robin.MemberId, new AnswerMeasureDraft(null, measureId, false, [1, 1, 0]));
        await circle.AnswerMeasureAsync(robin.MemberId, new AnswerMeasureDraft(null, measureId, true, null));
        await circle.AnswerMeasureAsync(robin.MemberId, new AnswerMeasureDraft(null, measureId, false, [0, 0, 2]));
        var live = alexPage.Locator("ol.feed > li.feed-item[data-type=support-requested]");
        await Assertions.Expect(live).ToContainTextAsync("Asked for support from a measure.");
        await Assertions.Expect(alexPage.Locator("ol.feed > li.feed-item[data-type^=measure-]")).ToHaveCountAsync(0);

        await alexPage.ReloadAsync();
        await Assertions.Expect(alexPage.Locator("ol.feed > li.feed-item[data-type=support-requested]")).ToHaveCountAsync(1);
        await Assertions.Expect(alexPage.Locator("ol.feed > li.feed-item[data-type^=measure-]")).ToHaveCountAsync(0);
        Assert.DoesNotContain("moderate", await alexPage.Locator("ol.feed").InnerTextAsync());
    }

    [Fact]
    public async Task The_session_pulse_is_offered_while_a_sessions_time_to_reflect_is_open_and_is_kept_as_the_members_own()
    {
        var (circleId, alex, robin) = await CircleWithMeasureAsync("Pulse circle");
        await MeasureSteps.SessionEndedMinutesAgoAsync(app.Circle(circleId), alex.MemberId);
        var person = await SignInAsync(robin);
        var page = person.Page;

        // Beside the invitation to reflect, on the circle page.
        await page.GotoAsync($"/circles/{circleId}");
        await person.WaitForCirclePageAsync();
        var pulse = page.GetByTestId("pulse");
        await Assertions.Expect(pulse.GetByRole(AriaRole.Heading, new() { Name = "How was today's session?" })).ToBeVisibleAsync();
        await Assertions.Expect(pulse).ToContainTextAsync(
            "your facilitators only see how many people answered each step, and only once three or more have.");
        var report = new Dictionary<string, IReadOnlyList<string>>();
        await AxeScan.ScanAsync(page, "circle page with the pulse", report);

        await MemberSide.ChooseAsync(pulse.Locator("fieldset[data-question=Heard]"), "4");
        await MemberSide.ChooseAsync(pulse.Locator("fieldset[data-question=Mattered]"), "5");
        await person.TypeAsync("#pulse-word", "lighter");
        await MemberSide.PressAsync(pulse.GetByRole(AriaRole.Button, new() { Name = "Send my pulse" }));
        await Assertions.Expect(pulse.GetByTestId("pulse-thanks")).ToHaveTextAsync("Thank you. Your pulse is kept with your measures, for you.");
        await Assertions.Expect(page.Locator("ol.feed > li.feed-item[data-type=session-pulse]")).ToHaveCountAsync(0);

        // Listed calmly on the measures page, a skipped question as skipped.
        await page.GotoAsync($"/circles/{circleId}/measures");
        var past = page.GetByTestId("past-pulses");
        await Assertions.Expect(past.Locator("li")).ToHaveCountAsync(1);
        await Assertions.Expect(past.Locator("li")).ToContainTextAsync("Heard: 4 of 5");
        await Assertions.Expect(past.Locator("li")).ToContainTextAsync("Safe enough: skipped");
        await Assertions.Expect(past.Locator("li")).ToContainTextAsync("What mattered: 5 of 5");
        await Assertions.Expect(past.Locator("li")).ToContainTextAsync("\"lighter\"");
        await AxeScan.ScanAsync(page, "measures page with a past pulse", report);

        // Answered, the circle page no longer asks.
        await page.GotoAsync($"/circles/{circleId}");
        await person.WaitForCirclePageAsync();
        await person.WaitUntilLiveAsync();
        await Assertions.Expect(page.GetByTestId("pulse")).ToHaveCountAsync(0);
        AxeScan.AssertClean(report);
    }

    /// <summary>Alex facilitates a circle that offers <see cref="MeasureSteps.Draft"/>; Robin has joined.</summary>
    private async Task<(Guid CircleId, ClockedAppFixture.Account Alex, ClockedAppFixture.Account Robin)> CircleWithMeasureAsync(string name)
    {
        var alex = await app.CreateAccountAsync("Alex");
        var robin = await app.CreateAccountAsync("Robin");
        var (circleId, inviteCode) = await app.StartCircleAsync(alex, name, DateTimeOffset.UtcNow.AddDays(-2));
        await app.JoinAsync(circleId, inviteCode, robin, DateTimeOffset.UtcNow.AddDays(-1));
        await app.Circle(circleId).OfferMeasureAsync(alex.MemberId, new OfferMeasureDraft(null, MeasureSteps.Draft, 14));
        return (circleId, alex, robin);
    }

    private async Task<Person> SignInAsync(ClockedAppFixture.Account account, ViewportSize? viewport = null)
    {
        var person = await Seeded.SignInAsync(browsers.Browser, app.BaseAddress, account, viewport ?? Phone);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}

/// <summary>A made-up questionnaire (nothing clinical) and the steps of answering it.</summary>
public static class MeasureSteps
{
    public const string Name = "Everyday load";
    public const string Instructions = "Over the last two weeks, how often has this been with you?";
    public static readonly string[] ScaleLabels = ["Not at all", "Several days", "More than half the days", "Nearly every day"];
    public static readonly string[] Items = ["Feeling worn out", "Trouble resting", "Thinking you would be better off gone"];
    public static readonly string[] Bands = ["minimal", "mild", "moderate"];

    /// <summary>Three items on a 0–3 scale, the third a safety item from "Several days" on; bands over 0–9.</summary>
    public static MeasureDraft Draft => new(null, Name, Instructions, 14,
        ScaleLabels.Select((label, value) => new ScaleOptionDraft(value, label)).ToList(),
        [new(Items[0]), new(Items[1]), new(Items[2], SafetyThreshold: 1)],
        [new(0, 3, Bands[0]), new(4, 6, Bands[1]), new(7, 9, Bands[2])]);

    /// <summary>Chooses an answer for each item in turn; null leaves that item.</summary>
    public static async Task AnswerAsync(ILocator card, params string?[] answers)
    {
        var items = card.Locator("fieldset.measure-item");
        await Assertions.Expect(items).ToHaveCountAsync(answers.Length);
        for (var i = 0; i < answers.Length; i++)
            await MemberSide.ChooseAsync(items.Nth(i), answers[i] ?? "Leave this one");
    }

    /// <summary>A session on a chosen date that ended forty minutes ago: its time to reflect (two hours) is open.</summary>
    public static Task SessionEndedMinutesAgoAsync(ICircleGrain circle, string facilitatorId)
    {
        var start = DateTime.UtcNow.AddMinutes(-100);
        var key = start.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        return circle.SetSessionScheduleAsync(facilitatorId,
            new SetSessionScheduleDraft(null, SessionSchedule.ChosenDates, "UTC", Dates: [key], DurationMinutes: 60));
    }
}
