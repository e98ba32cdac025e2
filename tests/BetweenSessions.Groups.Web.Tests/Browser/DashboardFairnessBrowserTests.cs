using System.Text.RegularExpressions;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// The dashboard as a facilitator sees it while members' activity changes: no ranking anywhere, and each view shows
/// exactly what the entries' audiences allow (facilitators yes, private never), whether loaded or arriving live.
/// Members' entries go straight in through the circle's grain, as their apps would write them.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed partial class DashboardFairnessBrowserTests(GroupsAppFixture app, BrowserFixture browsers)
    : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private readonly List<Person> _people = [];

    [Fact]
    public async Task Member_order_and_every_presence_fact_stay_free_of_ranking_as_activity_changes()
    {
        var (alex, circleId, circle, ids) = await CircleAsync("Ada", "Bo", "Cy", "Dee");
        await alex.Page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        await alex.DashboardPartAsync("People");
        string[] alphabetical = ["Ada", "Alex", "Bo", "Cy", "Dee"];
        Assert.Equal(alphabetical, await alex.MemberOrderAsync());
        // Each person's buttons say whose they are to a screen reader.
        await Assertions.Expect(alex.MemberLine("Bo").GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Make co-facilitator\s*\(Bo\)$") })).ToBeVisibleAsync();
        await Assertions.Expect(alex.MemberLine("Bo").GetByRole(AriaRole.Button, new() { NameRegex = new Regex(@"^Remove\s*Bo from the circle\s*…$") })).ToBeVisibleAsync();

        // Dee is very active, Bo checks in once, Cy only shares a win and is with Dee, Ada stays quiet.
        for (var i = 0; i < 6; i++) await circle.CheckInAsync(ids["Dee"], new(null, Capacity.Open, ["bright"], null, "circle"));
        var deesWin = await circle.ShareWinAsync(ids["Dee"], new(null, "Ran twice", "circle"));
        await circle.CheckInAsync(ids["Bo"], new(null, Capacity.Resting, null, null, "facilitators"));
        await circle.ShareWinAsync(ids["Cy"], new(null, "Slept well", "circle"));
        await circle.AcknowledgeAsync(ids["Cy"], new(null, deesWin.EventId, AcknowledgementKinds.WithYou));

        await Assertions.Expect(alex.Marks("Dee")).ToHaveTextAsync(["Check-in", "Win"]);
        await Assertions.Expect(alex.Marks("Bo")).ToHaveTextAsync(["Check-in"]);
        // Someone who did all but a check-in showed up all the same.
        await Assertions.Expect(alex.Marks("Cy")).ToHaveTextAsync(["Win", "With you"]);
        await Assertions.Expect(alex.MemberLine("Cy").Locator(".last-heard")).ToHaveTextAsync(LastHeardFact());
        // Nothing at all for Ada: no "not yet", nothing to chase.
        await Assertions.Expect(alex.MemberLine("Ada").Locator(".fact")).ToHaveCountAsync(0);
        await Assertions.Expect(alex.Page.GetByTestId("people")).Not.ToContainTextAsync("not yet", new() { IgnoreCase = true });

        Assert.Equal(alphabetical, await alex.MemberOrderAsync());
        await AssertNoRankingAsync(alex);
        // Six check-ins and one look exactly alike: every mark like every other, every date like every other.
        Assert.Single((await StylesAsync(alex, ".mark")).Distinct());
        Assert.Single((await StylesAsync(alex, ".last-heard")).Distinct());

        // Another period, and still the same order.
        await alex.Page.SelectOptionAsync("#dash-period", new SelectOptionValue { Label = "Past four weeks" });
        await Assertions.Expect(alex.Marks("Dee")).ToHaveTextAsync(["Check-in", "Win"]);
        await Assertions.Expect(alex.MemberLine("Dee").Locator("ul.marks")).ToHaveAttributeAsync("aria-label", "Dee, in the past four weeks");
        Assert.Equal(alphabetical, await alex.MemberOrderAsync());

        // A seating order is the facilitator's; activity never moves anyone within it.
        await circle.SetSeatingOrderAsync(ids["Alex"], new(null, [ids["Dee"], ids["Cy"]]));
        string[] seated = ["Dee", "Cy", "Ada", "Alex", "Bo"];
        await Assertions.Expect(alex.Page.Locator("[data-testid=people] li.member-fact").First).ToHaveAttributeAsync("data-member", "Dee");
        for (var i = 0; i < 3; i++) await circle.CheckInAsync(ids["Ada"], new(null, Capacity.Steady, null, null, "circle"));
        await Assertions.Expect(alex.Marks("Ada")).ToHaveTextAsync(["Check-in"]);
        Assert.Equal(seated, await alex.MemberOrderAsync());
        await AssertNoRankingAsync(alex);
    }

    public enum When { BeforeTheDashboardOpens, WhileItIsOpen }

    [Theory]
    [InlineData(When.BeforeTheDashboardOpens)]
    [InlineData(When.WhileItIsOpen)]
    public async Task Every_dashboard_view_shows_what_facilitators_may_see_and_nothing_private(When when)
    {
        var (alex, circleId, circle, ids) = await CircleAsync("Ada", "Bo", "Cy", "Dee");
        if (when == When.WhileItIsOpen)
        {
            await alex.Page.GotoAsync($"/circles/{circleId}/facilitate");
            await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();
        }

        // Private first, so once the last shared entry shows, every private one has arrived before it.
        foreach (var name in new[] { "Ada", "Bo", "Cy" })
            await circle.CheckInAsync(ids[name], new(null, Capacity.Resting, ["hushword"], null, "private"));
        await circle.CheckInAsync(ids["Dee"], new(null, Capacity.Open, ["deeword"], null, "private"));
        await circle.CheckInAsync(ids["Alex"], new(null, Capacity.Low, ["alexword"], null, "private"));
        await circle.BringToSessionAsync(ids["Dee"], new(null, "Dee private item", "private"));
        await circle.ShareWinAsync(ids["Dee"], new(null, "Dee private win", "private"));
        // Then shared with the facilitators, and with the circle.
        foreach (var name in new[] { "Ada", "Bo", "Cy" })
            await circle.CheckInAsync(ids[name], new(null, Capacity.Steady, ["sharedword"], null, "facilitators"));
        await circle.BringToSessionAsync(ids["Ada"], new(null, "Ada item for the facilitators", "facilitators"));
        await circle.BringToSessionAsync(ids["Bo"], new(null, "Bo item for the circle", "circle"));
        await circle.RequestSupportAsync(ids["Cy"], new(null, "Cy needs a call"));

        if (when == When.BeforeTheDashboardOpens) await alex.Page.GotoAsync($"/circles/{circleId}/facilitate");
        var page = alex.Page;
        await Assertions.Expect(page.GetByTestId("alerts").Locator("li.alert-item[data-type=support-requested]")).ToContainTextAsync("Cy needs a call");

        // Alerts: support alone. Agenda: what was brought for the circle and, marked, for the facilitators.
        await Assertions.Expect(page.GetByTestId("alerts").Locator("li.alert-item")).ToHaveCountAsync(1);
        var agenda = page.GetByTestId("agenda").Locator("li.agenda-item");
        await Assertions.Expect(agenda).ToHaveCountAsync(2);
        await Assertions.Expect(agenda.Filter(new() { HasTextString = "Ada item for the facilitators" }).GetByTestId("for-facilitators")).ToBeVisibleAsync();
        await Assertions.Expect(agenda.Filter(new() { HasTextString = "Bo item for the circle" }).GetByTestId("for-facilitators")).ToHaveCountAsync(0);
        // People: what was shared shows as marks; what was private is not there, not even as a mark, not even the
        // facilitator's own.
        await alex.DashboardPartAsync("People");
        await Assertions.Expect(alex.Marks("Ada")).ToHaveTextAsync(["Check-in", "Something to bring"]);
        await Assertions.Expect(alex.Marks("Bo")).ToHaveTextAsync(["Check-in", "Something to bring"]);
        await Assertions.Expect(alex.Marks("Cy")).ToHaveTextAsync(["Check-in"]);
        foreach (var name in new[] { "Dee", "Alex" })
            await Assertions.Expect(alex.MemberLine(name).Locator(".fact")).ToHaveCountAsync(0);
        // Group views: three people shared "steady" and "sharedword" with the facilitators; the private "resting"
        // of the same three people is neither a slice nor pooled.
        await alex.DashboardPartAsync("Patterns");
        var group = page.GetByTestId("group-views");
        var today = group.Locator("ul.weekday-spread li[data-shown=true]");
        await Assertions.Expect(today).ToHaveCountAsync(1);
        await Assertions.Expect(today).ToContainTextAsync("Steady (3 people)");
        await Assertions.Expect(today).Not.ToContainTextAsync("Resting");
        await Assertions.Expect(today).Not.ToContainTextAsync("other");
        await Assertions.Expect(group.Locator("ul.themes li")).ToHaveTextAsync(["sharedword"]);

        // Every part of the page, hidden ones too.
        var everything = await page.Locator("main").TextContentAsync() ?? "";
        foreach (var secret in new[] { "hushword", "deeword", "alexword", "Dee private item", "Dee private win" })
            Assert.DoesNotContain(secret, everything);
    }

    [Fact]
    public async Task Group_views_hide_what_two_people_share_and_show_it_once_a_third_shares_too()
    {
        var (alex, circleId, circle, ids) = await CircleAsync("Ada", "Bo", "Cy");
        await alex.Page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();

        foreach (var name in new[] { "Ada", "Bo" })
            await circle.CheckInAsync(ids[name], new(null, Capacity.Some, ["stretched"], null, "circle"));
        await alex.DashboardPartAsync("People");
        await Assertions.Expect(alex.Marks("Bo")).ToHaveTextAsync(["Check-in"]);
        await alex.DashboardPartAsync("Patterns");
        var group = alex.Page.GetByTestId("group-views");
        await Assertions.Expect(group.Locator("ul.weekday-spread li[data-shown=true]")).ToHaveCountAsync(0);
        await Assertions.Expect(group.GetByTestId("capacity-none")).ToBeVisibleAsync();
        await Assertions.Expect(group.GetByTestId("themes-none")).ToBeVisibleAsync();
        await Assertions.Expect(group.Locator(".capacity-week svg")).ToHaveCountAsync(0);

        await circle.CheckInAsync(ids["Cy"], new(null, Capacity.Some, ["Stretched"], null, "facilitators"));
        await Assertions.Expect(group.Locator("ul.weekday-spread li[data-shown=true]")).ToContainTextAsync("Some capacity (3 people)");
        await Assertions.Expect(group.Locator("ul.themes li")).ToHaveCountAsync(1);
        await Assertions.Expect(group.Locator(".capacity-week svg").First).ToBeVisibleAsync();
    }

    [Fact]
    public async Task On_a_phone_a_circle_of_twelve_keeps_the_session_short_and_its_people_in_a_part_of_their_own()
    {
        string[] names = ["Ada", "Bo", "Cy", "Dee", "Eli", "Fern", "Gus", "Hana", "Ivo", "Jo", "Kit"];
        var (alex, circleId, circle, ids) = await CircleAsync(Phone, names);
        foreach (var name in names) await circle.ShareWinAsync(ids[name], new(null, $"{name} went outside", "circle"));
        await alex.Page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(alex.Dashboard()).ToBeVisibleAsync();

        // What a session needs (its round and agenda) does not grow with the circle: under two screens on a phone.
        var session = (await alex.Page.Locator("#part-session").BoundingBoxAsync())!;
        Assert.True(session.Height < 2 * Phone.Height, $"The session part is {session.Height} px tall on a phone with twelve people.");
        await Assertions.Expect(alex.Page.GetByTestId("people")).ToBeHiddenAsync();

        await alex.DashboardPartAsync("People");
        Assert.Equal(["Ada", "Alex", "Bo", "Cy", "Dee", "Eli", "Fern", "Gus", "Hana", "Ivo", "Jo", "Kit"], await alex.MemberOrderAsync());
        await Assertions.Expect(alex.Marks("Kit")).ToHaveTextAsync(["Win"]);
        Assert.True(await alex.FitsTheScreenAsync(), "The People part is wider than a phone's screen.");
        // The period is there in both parts that look back over it, and choosing it in one changes the other.
        await alex.Page.SelectOptionAsync("#dash-period", new SelectOptionValue { Label = "Past four weeks" });
        await alex.DashboardPartAsync("Patterns");
        await Assertions.Expect(alex.Page.Locator("#patterns-period option:checked")).ToHaveTextAsync("Past four weeks");
        await Assertions.Expect(alex.Page.GetByTestId("group-views")).ToContainTextAsync("in the past four weeks");
        await alex.DashboardPartAsync("People");
        Assert.Empty(await AxeScan.SeriousViolationsAsync(alex.Page));
    }

    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    /// <summary>Nothing in the member list sorts, filters or ranks, and per person there are only the gentle facts.</summary>
    private static async Task AssertNoRankingAsync(Person facilitator)
    {
        var people = facilitator.Page.GetByTestId("people");
        foreach (var line in await people.Locator("li.member-fact").AllAsync())
        {
            foreach (var mark in await line.Locator(".mark").AllInnerTextsAsync()) Assert.Matches(Mark(), mark);
            Assert.True(await line.Locator(".last-heard").CountAsync() <= 1);
            Assert.Equal(await line.Locator(".mark, .last-heard").CountAsync(), await line.Locator(".fact").CountAsync());
            // No count, score or percentage anywhere on the line; the only digits are a day of the month.
            var text = LastHeardFact().Replace(await line.InnerTextAsync(), "");
            Assert.DoesNotMatch(new Regex(@"\d|%"), text);
        }
        var controls = await people.Locator("button, select, [role=button], th[aria-sort]").EvaluateAllAsync<string[]>(
            "els => els.map(e => (e.innerText || e.getAttribute('aria-label') || e.id || '').toLowerCase())");
        Assert.DoesNotContain(controls, c => Regex.IsMatch(c, "sort|filter|rank|most|least|active"));
        Assert.Equal(1, await people.Locator("select").CountAsync());
    }

    /// <summary>How each fact of one kind looks (colour, background, border, weight, size, classes), one line per fact.</summary>
    private static async Task<IReadOnlyList<string>> StylesAsync(Person facilitator, string kind) =>
        await facilitator.Page.GetByTestId("people").Locator(kind).EvaluateAllAsync<string[]>("""
            els => els.map(e => { const s = getComputedStyle(e);
                return [s.color, s.backgroundColor, s.border, s.fontWeight, s.fontSize, s.fontStyle, s.textDecorationLine, e.className].join('|'); })
            """);

    [GeneratedRegex(@"^(Check-in|Round|Win|With you|Practice|Reflection|Something to bring)$")]
    private static partial Regex Mark();

    [GeneratedRegex(@"Last heard from [A-Z][a-z]{2} \d{1,2} [A-Z][a-z]{2}")]
    private static partial Regex LastHeardFact();

    /// <summary>Alex registers in the browser and facilitates a new circle; the members join through the grain.</summary>
    private Task<(Person Facilitator, Guid CircleId, ICircleGrain Circle, IReadOnlyDictionary<string, string> Ids)> CircleAsync(params string[] members) =>
        CircleAsync(null, members);

    private Task<(Person Facilitator, Guid CircleId, ICircleGrain Circle, IReadOnlyDictionary<string, string> Ids)> CircleAsync(ViewportSize? viewport, params string[] members) =>
        FacilitatorSide.CircleOfAsync(app, browsers.Browser, _people, "Fairness circle", viewport, null, members);

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
