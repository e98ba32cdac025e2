using System.Text.RegularExpressions;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Measures from the facilitator's side (issue 17): building one from a clinic's questionnaire, reading one member's
/// own shared trend on that member's own page, and never a page that holds two members' answers. Members opt in and
/// answer through the circle's grain, as their apps would; each member's readings ("4, middleband") are written so they
/// can be told apart on any page.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed partial class FacilitatorMeasuresBrowserTests(GroupsAppFixture app, BrowserFixture browsers)
    : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Laptop = new() { Width = 1280, Height = 900 };
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private const string MeasureName = "Steadiness check";
    private readonly List<Person> _people = [];

    // Robin shares every answer; Sam shares too; Noor keeps hers to herself. Each reading says whose it is.
    private static readonly string[] RobinReadings = ["1, quietband", "3, middleband", "4, middleband"];
    private static readonly string[] SamReadings = ["0, quietband", "5, upperband"];
    private static readonly string[] NoorReadings = ["6, upperband"];

    [Fact]
    public async Task A_facilitator_builds_a_measure_and_reads_one_members_shared_trend_on_their_own_page()
    {
        var (alex, circleId, circle, ids) = await CircleAsync(Laptop, "Robin", "Noor");
        var page = alex.Page;
        await page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await alex.DashboardPartAsync("Schedule and settings");
        await page.ClickAsync("#measures-link");
        await Assertions.Expect(page.Locator("[data-testid=measures-page][data-ready=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("licensed-note")).ToContainTextAsync("Enter only a questionnaire your clinic is licensed to use");
        await Assertions.Expect(page.GetByTestId("offered-measures")).ToContainTextAsync("No measure is offered");

        // The clinic's questionnaire, as entered: four answers (0 to 3), two items (the second a safety item), three bands,
        // the last one entered backwards.
        await page.FillAsync("#m-name", MeasureName);
        await page.FillAsync("#m-instructions", "Think about the past week.");
        await page.FillAsync("#m-recall", "7");
        string[] labels = ["Not at all", "Several days", "More than half the days", "Nearly every day"];
        for (var i = 0; i < labels.Length; i++) await page.FillAsync($"#m-scale-{i}-label", labels[i]);
        await page.FillAsync("#m-item-0-text", "I felt steady");
        await page.ClickAsync("#m-add-item");
        await Assertions.Expect(page.GetByTestId("item-row")).ToHaveCountAsync(2);
        await page.FillAsync("#m-item-1-text", "I thought about hurting myself");
        await page.CheckAsync("#m-item-1-safety");
        await page.SelectOptionAsync("#m-item-1-threshold", "3");
        (string From, string To, string Name)[] bands = [("0", "2", "quietband"), ("3", "4", "middleband"), ("6", "5", "upperband")];
        for (var i = 0; i < bands.Length; i++)
        {
            await page.ClickAsync("#m-add-band");
            await Assertions.Expect(page.GetByTestId("band-row")).ToHaveCountAsync(i + 1);
            await page.FillAsync($"#m-band-{i}-from", bands[i].From);
            await page.FillAsync($"#m-band-{i}-to", bands[i].To);
            await page.FillAsync($"#m-band-{i}-name", bands[i].Name);
        }
        await page.ClickAsync("#m-offer");

        // The error stands beside the band it is about, and the band's inputs say so to a screen reader.
        var bandError = page.Locator("#err-bands-2");
        await Assertions.Expect(bandError).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("band-row").Nth(2).Locator("#err-bands-2")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#m-band-2-from")).ToHaveAttributeAsync("aria-invalid", "true");
        await Assertions.Expect(page.GetByTestId("builder-errors")).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("offered-measures")).ToContainTextAsync("No measure is offered");
        var axe = new Dictionary<string, IReadOnlyList<string>>();
        await AxeScan.ScanAsync(page, "the builder, with an error", axe);

        await page.FillAsync("#m-band-2-from", "5");
        await page.FillAsync("#m-band-2-to", "6");
        await page.ClickAsync("#m-offer");
        await Assertions.Expect(page.GetByTestId("measure-offered")).ToContainTextAsync(MeasureName);
        await Assertions.Expect(bandError).ToHaveCountAsync(0);
        var listed = page.Locator($"li.offered-measure[data-measure='{MeasureName}']");
        await Assertions.Expect(listed).ToContainTextAsync("asked every 7 days at most");
        await Assertions.Expect(listed.Locator("time")).ToHaveCountAsync(1);
        await AxeScan.ScanAsync(page, "the measures page, one offered", axe);

        // What the clinic entered is what members are offered.
        var measure = Assert.Single((await circle.GetMeasuresAsync(ids["Robin"])).Measures).Measure;
        Assert.Equal(7, measure.EveryDays);
        Assert.Equal(["quietband", "middleband", "upperband"], measure.Definition.Bands.Select(b => b.Name));
        Assert.Equal(3, measure.Definition.Items[1].SafetyThreshold);

        await AnswerAsync(circle, measure.MeasureId, ids["Robin"], share: true, [0, 1], [1, 2], null, [2, 2]);
        await AnswerAsync(circle, measure.MeasureId, ids["Noor"], share: false, [3, 3]);

        // From Robin's line among the people, to Robin's own page.
        await page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await alex.DashboardPartAsync("People");
        await alex.MemberLine("Robin").GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Shared measures") }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/circles/{circleId}/facilitate/people/"));
        var robinsPage = page.Locator("[data-testid=member-measures][data-ready=true]");
        await Assertions.Expect(robinsPage).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("What Robin shares with facilitators");
        var trend = page.Locator($"[data-testid=member-measure][data-measure='{MeasureName}']");
        await Assertions.Expect(trend.GetByTestId("latest-reading")).ToContainTextAsync("4, middleband");
        // Three scored answers as points, the week not answered as a gap, no line across it.
        var chart = trend.Locator("svg.trend-chart");
        await Assertions.Expect(chart.Locator("circle.point")).ToHaveCountAsync(3);
        await Assertions.Expect(chart.Locator("circle.gap")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator("polyline.trend-line")).ToHaveCountAsync(1);
        await Assertions.Expect(chart.Locator("text.band-name")).ToHaveTextAsync(["quietband", "middleband", "upperband"]);
        // One colour for every point, whatever the band: nothing says better or worse.
        var fills = await chart.Locator("circle.point").EvaluateAllAsync<string[]>("els => els.map(e => getComputedStyle(e).fill)");
        Assert.Single(fills.Distinct());
        // The same in words.
        await trend.Locator("details.chart-table summary").ClickAsync();
        await Assertions.Expect(trend.Locator("tr.answer-row td")).ToHaveTextAsync(["1, quietband", "3, middleband", "Not this time", "4, middleband"]);
        var text = await page.Locator("main").InnerTextAsync();
        Assert.DoesNotMatch(new Regex(@"\b(worse|better|dropped|improved|declin\w*|rank\w*)\b", RegexOptions.IgnoreCase), text);
        var robinsText = await page.Locator("body").TextContentAsync() ?? "";
        foreach (var reading in NoorReadings) Assert.DoesNotContain(reading, robinsText);
        await AxeScan.ScanAsync(page, "Robin's shared measures", axe);

        // Noor keeps hers to herself: her page says nothing of them, not even that she answers.
        await page.GotoAsync($"/circles/{circleId}/facilitate/people/{Uri.EscapeDataString(ids["Noor"])}");
        await Assertions.Expect(page.GetByTestId("nothing-shared")).ToHaveTextAsync("Noor has not shared any measures with facilitators.");
        await Assertions.Expect(page.GetByTestId("member-measure")).ToHaveCountAsync(0);
        await Assertions.Expect(page.Locator("svg")).ToHaveCountAsync(0);
        var noorsPage = await page.Locator("main").TextContentAsync() ?? "";
        foreach (var secret in new[] { "upperband", "6", MeasureName }) Assert.DoesNotContain(secret, noorsPage);
        await AxeScan.ScanAsync(page, "Noor's page, nothing shared", axe);

        // Her safety answer reached the facilitators as a request for support, named by its measure, without the answer.
        await page.GotoAsync($"/circles/{circleId}/facilitate");
        var alert = page.GetByTestId("alerts").Locator("li.alert-item[data-type=support-requested]");
        await Assertions.Expect(alert).ToHaveCountAsync(1);
        await Assertions.Expect(alert.Locator(".alert-what")).ToContainTextAsync($"Noor asked for support (from {MeasureName})");
        var alertText = await alert.InnerTextAsync();
        Assert.DoesNotContain("upperband", alertText);
        Assert.DoesNotContain("hurting", alertText);
        AxeScan.AssertClean(axe);
    }

    [Fact]
    public async Task No_facilitator_page_holds_two_members_answers()
    {
        var (alex, circleId, circle, ids) = await CircleAsync(Phone, "Robin", "Sam", "Noor");
        var measure = await OfferAsync(circle, ids["Alex"]);
        await AnswerAsync(circle, measure, ids["Robin"], share: true, [0, 1], [1, 2], [2, 2]);
        await AnswerAsync(circle, measure, ids["Sam"], share: true, [0, 0], [3, 2]);
        await AnswerAsync(circle, measure, ids["Noor"], share: false, [3, 3]);
        var page = alex.Page;
        var seen = new Dictionary<string, string>();
        var axe = new Dictionary<string, IReadOnlyList<string>>();

        // The dashboard, every part of it (hidden parts are in the page all the same).
        await page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("alerts").Locator("li.alert-item")).ToHaveCountAsync(1);
        seen["the dashboard"] = await page.Locator("body").TextContentAsync() ?? "";
        await alex.DashboardPartAsync("People");
        // People stay in their order, with no score or measure beside anyone.
        Assert.Equal(["Alex", "Noor", "Robin", "Sam"], await alex.MemberOrderAsync());
        foreach (var line in await page.Locator("[data-testid=people] li.member-fact").AllAsync())
            Assert.DoesNotMatch(new Regex(@"\d|quietband|middleband|upperband"), LastHeard().Replace(await line.InnerTextAsync(), ""));
        Assert.True(await alex.FitsTheScreenAsync(), "The People part is wider than a phone's screen.");
        await AxeScan.ScanAsync(page, "the dashboard's people, on a phone", axe);

        await page.GotoAsync($"/circles/{circleId}/facilitate/measures");
        await Assertions.Expect(page.Locator("[data-testid=measures-page][data-ready=true]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("li.offered-measure")).ToHaveCountAsync(1);
        seen["the measures page"] = await page.Locator("body").TextContentAsync() ?? "";
        Assert.True(await alex.FitsTheScreenAsync(), "The measures page is wider than a phone's screen.");
        await AxeScan.ScanAsync(page, "the measures page, on a phone", axe);

        foreach (var name in new[] { "Alex", "Noor", "Robin", "Sam" })
        {
            await page.GotoAsync($"/circles/{circleId}/facilitate/people/{Uri.EscapeDataString(ids[name])}");
            await Assertions.Expect(page.Locator("[data-testid=member-measures][data-ready=true]")).ToBeVisibleAsync();
            seen[$"{name}'s page"] = await page.Locator("body").TextContentAsync() ?? "";
            if (name == "Sam")
            {
                await Assertions.Expect(page.GetByTestId("latest-reading")).ToContainTextAsync("5, upperband");
                Assert.True(await alex.FitsTheScreenAsync(), "A member's page is wider than a phone's screen.");
                await AxeScan.ScanAsync(page, "Sam's shared measures, on a phone", axe);
            }
        }

        // Each page holds one member's answers at most, and Noor's none at all.
        var markers = new Dictionary<string, string[]> { ["Robin"] = RobinReadings, ["Sam"] = SamReadings, ["Noor"] = NoorReadings };
        foreach (var (where, text) in seen)
        {
            var whose = markers.Where(m => m.Value.Any(text.Contains)).Select(m => m.Key).ToList();
            Assert.True(whose.Count <= 1, $"{where} holds answers of {string.Join(" and ", whose)}.");
            Assert.DoesNotContain("Noor", whose);
        }
        Assert.All(RobinReadings, r => Assert.Contains(r, seen["Robin's page"]));
        Assert.All(SamReadings, r => Assert.Contains(r, seen["Sam's page"]));
        foreach (var where in new[] { "the dashboard", "the measures page", "Alex's page" })
            Assert.DoesNotMatch(new Regex("quietband|middleband|upperband"), seen[where]);
        AxeScan.AssertClean(axe);

        // Stopping the offer asks nobody again; what Robin shared stays his to have shared.
        await page.GotoAsync($"/circles/{circleId}/facilitate/measures");
        var offered = page.Locator($"li.offered-measure[data-measure='{MeasureName}']");
        await offered.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Stop offering") }).ClickAsync();
        await offered.GetByRole(AriaRole.Button, new() { Name = "Stop offering it" }).ClickAsync();
        await Assertions.Expect(page.GetByTestId("offered-measures")).ToContainTextAsync("No measure is offered");
        Assert.False(Assert.Single((await circle.GetMeasuresAsync(ids["Alex"], ids["Robin"])).Measures).Measure.IsOffered);
        await page.GotoAsync($"/circles/{circleId}/facilitate/people/{Uri.EscapeDataString(ids["Robin"])}");
        await Assertions.Expect(page.GetByTestId("member-measure")).ToContainTextAsync("No longer offered");
        await Assertions.Expect(page.GetByTestId("latest-reading")).ToContainTextAsync("4, middleband");
    }

    [Fact]
    public async Task The_pulse_shows_only_distributions_and_only_from_three_answers()
    {
        var (alex, circleId, circle, ids) = await CircleAsync(Laptop, "Robin", "Sam", "Noor");
        // A session that ended twenty minutes ago: its time to reflect is open.
        var start = DateTimeOffset.UtcNow.AddMinutes(-80);
        await circle.SetSessionScheduleAsync(ids["Alex"], new SetSessionScheduleDraft(null, "dates", "UTC", DurationMinutes: 60,
            Dates: [start.ToString("yyyy-MM-dd'T'HH:mm", System.Globalization.CultureInfo.InvariantCulture)], ReflectWindowMinutes: 24 * 60));
        var session = (await circle.GetMeasuresAsync(ids["Robin"])).PulseOpenFor ?? throw new InvalidOperationException("No pulse is open.");
        // All three said how heard they felt; only two said how safe; nobody answered the third.
        await circle.AnswerPulseAsync(ids["Robin"], new(Guid.NewGuid().ToString("N"), session.Key, 4, 5, null, "robinword"));
        await circle.AnswerPulseAsync(ids["Sam"], new(Guid.NewGuid().ToString("N"), session.Key, 4, 2, null, null));
        await circle.AnswerPulseAsync(ids["Noor"], new(Guid.NewGuid().ToString("N"), session.Key, 2, null, null, null));

        var page = alex.Page;
        await page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await alex.DashboardPartAsync("Patterns");
        var pulse = page.GetByTestId("pulse-panel").Locator($"[data-testid=pulse-session][data-session='{session.Key}']");
        await Assertions.Expect(pulse).ToBeVisibleAsync();
        var heard = pulse.Locator("[data-question=Heard]");
        await Assertions.Expect(heard.Locator("li.pulse-bar")).ToHaveCountAsync(5);
        var counts = await heard.Locator("li.pulse-bar").EvaluateAllAsync<string[]>("els => els.map(e => e.dataset.step + ':' + e.dataset.count)");
        Assert.Equal(["1:0", "2:1", "3:0", "4:2", "5:0"], counts);
        await Assertions.Expect(heard.Locator("li.pulse-bar[data-step='4']")).ToContainTextAsync("2 people");
        foreach (var question in new[] { "Safe", "Mattered" })
        {
            var hidden = pulse.Locator($"[data-question={question}]");
            await Assertions.Expect(hidden.GetByTestId("pulse-hidden")).ToHaveTextAsync("Fewer than three answered; not shown, so no one can be picked out.");
            await Assertions.Expect(hidden.Locator("li.pulse-bar")).ToHaveCountAsync(0);
        }
        var panel = await page.GetByTestId("pulse-panel").InnerTextAsync();
        foreach (var secret in new[] { "Robin", "Sam", "Noor", "robinword" }) Assert.DoesNotContain(secret, panel);
        Assert.Empty(await AxeScan.SeriousViolationsAsync(page));
    }

    // The one date on a person's line (Noor's support request is hearing from her).
    [GeneratedRegex(@"Last heard from [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}")]
    private static partial Regex LastHeard();

    private static async Task<Guid> OfferAsync(ICircleGrain circle, string facilitatorId)
    {
        var draft = new MeasureDraft(null, MeasureName, "Think about the past week.", 7,
            [new(0, "Not at all"), new(1, "Several days"), new(2, "More than half the days"), new(3, "Nearly every day")],
            [new("I felt steady"), new("I thought about hurting myself", SafetyThreshold: 3)],
            [new(0, 2, "quietband"), new(3, 4, "middleband"), new(5, 6, "upperband")]);
        await circle.OfferMeasureAsync(facilitatorId, new OfferMeasureDraft(Guid.NewGuid().ToString("N"), draft, null));
        return Assert.Single((await circle.GetMeasuresAsync(facilitatorId)).Measures).Measure.MeasureId;
    }

    /// <summary>A member opts in and answers, oldest first; null is "not this time".</summary>
    private static async Task AnswerAsync(ICircleGrain circle, Guid measureId, string memberId, bool share, params int[]?[] answers)
    {
        await circle.OptInMeasureAsync(memberId, new OptInMeasureDraft(Guid.NewGuid().ToString("N"), measureId, share));
        foreach (var given in answers)
        {
            await circle.AnswerMeasureAsync(memberId, new AnswerMeasureDraft(Guid.NewGuid().ToString("N"), measureId, given is null,
                given?.Select(a => (int?)a).ToList()));
        }
    }

    /// <summary>Alex registers in the browser and facilitates a new circle; the members join through the grain.</summary>
    private Task<(Person Facilitator, Guid CircleId, ICircleGrain Circle, IReadOnlyDictionary<string, string> Ids)> CircleAsync(
        ViewportSize viewport, params string[] members) =>
        FacilitatorSide.CircleOfAsync(app, browsers.Browser, _people, "Measures circle", viewport, "UTC", members);

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
