using System.Net;
using System.Text.RegularExpressions;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A facilitator (laptop) runs a circle from the dashboard while members (phones) take part, everything live and
/// without reloads: alerts until acknowledged, the opening agenda, a round with "not yet" and a pass, settings,
/// removing someone and adding a co-facilitator, crisis resources, archiving.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class FacilitatorDashboardBrowserTests(GroupsAppFixture app, BrowserFixture browsers)
    : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _axe = [];

    [Fact]
    public async Task A_facilitator_runs_a_session_from_the_dashboard_live_without_reloads()
    {
        var (circleId, alex, members) = await CircleAsync("Thursday circle", "Robin", "Sam");
        var (robin, sam) = (members[0], members[1]);
        var samId = await app.MemberIdAsync(sam);
        await alex.OpenDashboardAsync();
        await alex.MarkPageAsync();

        // Support: at the top as soon as Robin asks, until acknowledged; the acknowledgement keeps who and when.
        await robin.AskForSupportAsync();
        var alerts = alex.Page.GetByTestId("alerts");
        var robinsRequest = alerts.Locator("li.alert-item[data-type=support-requested]");
        await Assertions.Expect(robinsRequest).ToContainTextAsync("Robin asked for support");
        await Assertions.Expect(alerts).ToHaveClassAsync(new Regex(@"\bwaiting\b"));
        // Alex also has the circle page open in another tab: the request is at its top too.
        var circleTab = await alex.Page.Context.NewPageAsync();
        await circleTab.GotoAsync($"/circles/{circleId}");
        await Assertions.Expect(circleTab.GetByTestId("support-requests")).ToContainTextAsync("Robin");

        // Something Sam brings for the whole circle becomes the opening agenda.
        await app.Circle(circleId).BringToSessionAsync(samId, new(null, "Resting without guilt", "circle"));
        var agendaItem = alex.Page.GetByTestId("agenda").Locator("li.agenda-item", new() { HasTextString = "Resting without guilt" });
        await Assertions.Expect(agendaItem).ToBeVisibleAsync();

        // A round with a gentle default prompt: answers and passes arrive; the rest read "not yet".
        await alex.Page.ClickAsync("#dash-start-round");
        await Assertions.Expect(alex.Page.GetByTestId("open-round-prompt")).ToHaveTextAsync(RoundPrompts.Defaults[0]);
        await Assertions.Expect(robin.Page.Locator(".round-banner")).ToContainTextAsync(RoundPrompts.Defaults[0]);
        await robin.Page.ClickAsync("#round-pass-button");
        await Assertions.Expect(alex.RoundLine("Robin")).ToContainTextAsync("passed (a full answer)");
        await Assertions.Expect(alex.RoundLine("Sam")).ToContainTextAsync("not yet");

        await AxeScan.ScanAsync(alex.Page, "dashboard, laptop, round open, an alert and an agenda item", _axe);

        var roundId = (await app.Circle(circleId).GetFacilitationAsync(await app.MemberIdAsync(alex))).OpenRound!.RoundId;
        await app.Circle(circleId).RespondToRoundAsync(samId, new(null, roundId, Capacity.Steady, "Glad to be here", false));
        await Assertions.Expect(alex.RoundLine("Sam")).ToContainTextAsync("Steady · Glad to be here");
        await Assertions.Expect(alex.RoundLine("Sam")).ToHaveAttributeAsync("data-answer", "answered");

        await alex.Page.ClickAsync("#dash-end-round");
        await Assertions.Expect(robin.Page.Locator(".round-banner")).ToHaveCountAsync(0);
        // The facilitator keeps a short summary; with three people in the circle every count is "fewer than three".
        var summary = alex.Page.GetByTestId("round-summary");
        await Assertions.Expect(summary).ToContainTextAsync(RoundPrompts.Defaults[0]);
        await Assertions.Expect(summary.Locator("li")).ToHaveTextAsync(
            ["Answered: fewer than three", "Passed: fewer than three", "Still open when it ended: fewer than three"]);
        await Assertions.Expect(alex.Page.Locator("#dash-start-round")).ToBeVisibleAsync();

        await robinsRequest.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Acknowledge Robin") }).ClickAsync();
        await Assertions.Expect(robinsRequest).ToHaveCountAsync(0);
        // Acknowledged once, cleared everywhere: the dashboard's band and the circle page in the other tab.
        await Assertions.Expect(alerts).Not.ToHaveClassAsync(new Regex(@"\bwaiting\b"));
        await Assertions.Expect(circleTab.GetByTestId("support-requests")).ToHaveCountAsync(0);
        await alerts.Locator("details.dash-history summary").ClickAsync();
        await Assertions.Expect(alerts.Locator("li.handled-item")).ToContainTextAsync("acknowledged by Alex");
        // Robin sees that a facilitator saw the request; Sam does not.
        await Assertions.Expect(robin.FeedItemOfType("alert-acknowledged", "saw the request for support")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.Locator("#support-panel .support-told")).ToContainTextAsync("Alex has seen this.");
        // Something Robin adds afterwards joins that request, and it waits for a facilitator again.
        await robin.TypeAsync("#support-note", "It got harder tonight");
        await robin.Page.ClickAsync("#support-note-button");
        await Assertions.Expect(robinsRequest).ToContainTextAsync("added something since Alex saw it");
        await Assertions.Expect(robinsRequest.Locator(".support-note")).ToContainTextAsync("It got harder tonight");
        await Assertions.Expect(alerts).ToHaveClassAsync(new Regex(@"\bwaiting\b"));
        await Assertions.Expect(alerts.Locator("li.alert-item")).ToHaveCountAsync(1);
        await robinsRequest.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Acknowledge Robin") }).ClickAsync();
        await Assertions.Expect(robinsRequest).ToHaveCountAsync(0);

        await agendaItem.GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Mark as discussed") }).ClickAsync();
        await Assertions.Expect(agendaItem).ToHaveCountAsync(0);
        var agenda = alex.Page.GetByTestId("agenda");
        await agenda.Locator("details.dash-history summary").ClickAsync();
        await Assertions.Expect(agenda.Locator("li.handled-item")).ToContainTextAsync("Resting without guilt");
        await Assertions.Expect(agenda.Locator("li.handled-item")).ToContainTextAsync("marked by Alex");

        // Renaming reaches members live.
        await alex.DashboardPartAsync("Schedule and settings");
        await alex.TypeAsync("#dash-circle-name", "Thursday evening circle");
        await alex.Page.ClickAsync("#dash-rename");
        await Assertions.Expect(alex.Page.Locator("h1")).ToHaveTextAsync("Facilitating Thursday evening circle");
        await Assertions.Expect(robin.FeedItemOfType("circle-renamed", "Thursday evening circle")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.Locator("h1")).ToHaveTextAsync("Thursday evening circle");

        await Assertions.Expect(sam.Page.Locator("li.feed-item[data-type=alert-acknowledged]")).ToHaveCountAsync(0);
        Assert.True(await alex.IsSamePageAsync(), "The dashboard was reloaded.");
        AxeScan.AssertClean(_axe);
    }

    [Fact]
    public async Task A_removed_member_loses_every_way_in_at_once_and_a_new_co_facilitator_gets_the_dashboard_live()
    {
        var (circleId, alex, members) = await CircleAsync("Friday circle", "Robin", "Sam");
        var (robin, sam) = (members[0], members[1]);
        await sam.CheckInAsync("Low on capacity", "For the facilitators only, please.", "Facilitators only");
        await alex.OpenDashboardAsync();
        await alex.DashboardPartAsync("People");
        await Assertions.Expect(robin.Page.GetByTestId("facilitate-link")).ToHaveCountAsync(0);
        await Assertions.Expect(robin.FeedCheckIn("For the facilitators only, please.")).ToHaveCountAsync(0);

        await alex.MemberLine("Robin").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Make co-facilitator") }).ClickAsync();
        await Assertions.Expect(robin.Page.GetByTestId("facilitate-link")).ToBeVisibleAsync();
        await Assertions.Expect(alex.MemberLine("Robin")).ToContainTextAsync("facilitator");
        // Robin's open circle page now shows what facilitators see, earlier entries included, without a reload.
        await Assertions.Expect(robin.FeedCheckIn("For the facilitators only, please.")).ToBeVisibleAsync();

        await alex.MemberLine("Sam").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Remove") }).ClickAsync();
        await alex.Page.GetByRole(AriaRole.Button, new() { Name = "Yes, remove Sam" }).ClickAsync();

        // Sam's open page closes at once, with a calm word; the circle is gone from the list, its page and the API.
        await Assertions.Expect(sam.Page.GetByTestId("removed-note")).ToBeVisibleAsync();
        await Assertions.Expect(sam.Page.Locator("ul.circle-list")).ToHaveCountAsync(0);
        var api = await sam.Page.APIRequest.GetAsync($"/api/circles/{circleId}");
        Assert.Equal((int)HttpStatusCode.Forbidden, api.Status);
        await sam.Page.GotoAsync($"/circles/{circleId}");
        await Assertions.Expect(sam.Page.Locator("main")).ToContainTextAsync("You are not a member of this circle.");
        await Assertions.Expect(alex.MemberLine("Sam")).ToHaveCountAsync(0);

        // Robin facilitates on a phone now: the dashboard fits, without Sam.
        await robin.OpenDashboardAsync();
        await robin.DashboardPartAsync("People");
        await Assertions.Expect(robin.MemberLine("Sam")).ToHaveCountAsync(0);
        await Assertions.Expect(robin.MemberLine("Alex")).ToBeVisibleAsync();
        Assert.True(await robin.FitsTheScreenAsync(), "The dashboard is wider than a phone's screen.");
        await AxeScan.ScanAsync(robin.Page, "dashboard, phone, co-facilitator", _axe);
        AxeScan.AssertClean(_axe);
    }

    [Fact]
    public async Task Support_and_leaving_are_for_members_not_for_those_who_run_the_circle()
    {
        var (circleId, alex, members) = await CircleAsync("Friday circle", "Robin");
        var robin = members[0];

        await alex.Page.GotoAsync($"/circles/{circleId}");
        await Assertions.Expect(alex.Page.Locator("h1")).ToHaveTextAsync("Friday circle");
        await Assertions.Expect(robin.Page.Locator("#support-button")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.Locator("#leave-button")).ToBeVisibleAsync();
        await Assertions.Expect(alex.Page.Locator("#support-button")).ToHaveCountAsync(0);
        await Assertions.Expect(alex.Page.Locator("#leave-button")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task On_a_phone_the_dashboard_is_four_parts_under_the_requests_and_the_keyboard_moves_between_them()
    {
        var alex = await OpenBrowserAsync(Phone);
        await alex.RegisterAsync("Alex");
        await alex.StartCircleAsync("Evening circle");
        await alex.OpenDashboardAsync();

        var tabs = alex.Page.GetByRole(AriaRole.Tablist, new() { Name = "Parts of the dashboard" });
        await Assertions.Expect(tabs.GetByRole(AriaRole.Tab)).ToHaveTextAsync(["The session", "People", "Patterns", "Schedule and settings"]);
        // The requests for support come first, above every part.
        Assert.True((await alex.Page.GetByTestId("alerts").BoundingBoxAsync())!.Y < (await tabs.BoundingBoxAsync())!.Y);
        await Assertions.Expect(alex.Page.GetByTestId("round-panel")).ToBeVisibleAsync();
        await Assertions.Expect(alex.Page.GetByTestId("people")).ToBeHiddenAsync();
        await Assertions.Expect(alex.Page.GetByTestId("schedule-panel")).ToBeHiddenAsync();

        var session = tabs.GetByRole(AriaRole.Tab, new() { Name = "The session" });
        await session.FocusAsync();
        await alex.Page.Keyboard.PressAsync("ArrowRight");
        var people = tabs.GetByRole(AriaRole.Tab, new() { Name = "People" });
        await Assertions.Expect(people).ToBeFocusedAsync();
        await Assertions.Expect(people).ToHaveAttributeAsync("aria-selected", "true");
        await Assertions.Expect(alex.Page.GetByTestId("people")).ToBeVisibleAsync();
        await Assertions.Expect(alex.Page.GetByTestId("round-panel")).ToBeHiddenAsync();
        await alex.Page.Keyboard.PressAsync("ArrowRight");
        await Assertions.Expect(tabs.GetByRole(AriaRole.Tab, new() { Name = "Patterns" })).ToBeFocusedAsync();
        await Assertions.Expect(alex.Page.GetByTestId("group-views")).ToBeVisibleAsync();
        await Assertions.Expect(alex.Page.GetByTestId("people")).ToBeHiddenAsync();
        await alex.Page.Keyboard.PressAsync("End");
        await Assertions.Expect(alex.Page.GetByTestId("schedule-panel")).ToBeVisibleAsync();
        await alex.Page.Keyboard.PressAsync("ArrowRight"); // round and round
        await Assertions.Expect(session).ToBeFocusedAsync();
        await Assertions.Expect(alex.Page.GetByTestId("round-panel")).ToBeVisibleAsync();

        Assert.True(await alex.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The dashboard scrolls sideways on a 390 px phone.");
        await AxeScan.ScanAsync(alex.Page, "dashboard, phone, parts as tabs", _axe);
        AxeScan.AssertClean(_axe);
    }

    [Fact]
    public async Task Every_page_has_a_title_of_its_own_and_the_apps_icon()
    {
        var (circleId, alex, _) = await CircleAsync("Tuesday circle");
        var page = alex.Page;

        foreach (var (path, title) in new[]
        {
            ("/circles", "My circles · BetweenSessions"),
            ($"/circles/{circleId}", "Tuesday circle · BetweenSessions"),
            ($"/circles/{circleId}/facilitate", "Facilitate Tuesday circle · BetweenSessions"),
            ("/settings", "Settings · BetweenSessions"),
        })
        {
            await page.GotoAsync(path);
            await Assertions.Expect(page).ToHaveTitleAsync(title);
            // The heading takes focus for screen readers but draws no focus box.
            await page.WaitForFunctionAsync("""
                () => { const h = document.querySelector('h1'); if (!h) return false;
                        if (!h.hasAttribute('tabindex')) h.tabIndex = -1;
                        h.focus(); return document.activeElement === h && getComputedStyle(h).outlineStyle === 'none'; }
                """);
        }
        var icon = await page.APIRequest.GetAsync((await page.Locator("link[rel=icon]").GetAttributeAsync("href"))!);
        Assert.True(icon.Ok);
        Assert.StartsWith("image/svg+xml", icon.Headers["content-type"]);
    }

    [Fact]
    public async Task A_member_is_calmly_refused_the_dashboard()
    {
        var (circleId, _, members) = await CircleAsync("Saturday circle", "Robin");
        var robin = members[0];

        await robin.Page.GotoAsync($"/circles/{circleId}/facilitate");

        await Assertions.Expect(robin.Page.GetByTestId("dashboard-refusal")).ToContainTextAsync("This page is for the circle's facilitators.");
        await Assertions.Expect(robin.Page.GetByTestId("dashboard")).ToHaveCountAsync(0);
        await Assertions.Expect(robin.Page.Locator(".form-error")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task The_circles_settings_reach_everyone_and_an_archived_circle_is_read_only_yet_exportable()
    {
        var (circleId, alex, members) = await CircleAsync("Sunday circle", "Robin");
        var robin = members[0];
        await alex.OpenDashboardAsync();

        // The circle's own round prompts become the ones to choose from.
        await alex.DashboardPartAsync("Schedule and settings");
        await alex.TypeAsync("#dash-prompts", "What is alive in you today?\nWhat can the circle hold for you?");
        await alex.Page.ClickAsync("#dash-save-prompts");
        await alex.DashboardPartAsync("The session");
        var prompts = alex.Page.GetByTestId("round-panel").Locator("fieldset.choice-cards label.choice");
        await Assertions.Expect(prompts).ToHaveTextAsync(["What is alive in you today?", "What can the circle hold for you?", "My own words"]);

        // A new code replaces the old one; the invite link carries it, and opening it fills in the code to join with.
        await alex.DashboardPartAsync("Schedule and settings");
        var oldCode = await alex.Page.GetByTestId("dash-invite-code").InnerTextAsync();
        await alex.Page.ClickAsync("#dash-new-code");
        await Assertions.Expect(alex.Page.GetByTestId("dash-invite-code")).Not.ToHaveTextAsync(oldCode);
        var newCode = await alex.Page.GetByTestId("dash-invite-code").InnerTextAsync();
        var link = await alex.Page.GetByTestId("dash-invite-link").GetAttributeAsync("href");
        Assert.EndsWith($"/circles?invite={newCode}", link);
        var kai = await OpenBrowserAsync(Phone);
        await kai.RegisterAsync("Kai");
        await kai.Page.GotoAsync(link!);
        await Assertions.Expect(kai.Page.Locator("#invite-code")).ToHaveValueAsync(newCode);
        await Assertions.Expect(alex.MemberLine("Kai")).ToHaveCountAsync(0);
        await kai.Page.GotoAsync("/circles");
        await kai.JoinCircleAsync(newCode, "Kai");
        await alex.DashboardPartAsync("People");
        await Assertions.Expect(alex.MemberLine("Kai")).ToBeVisibleAsync();
        await alex.DashboardPartAsync("Schedule and settings");

        await alex.Page.ClickAsync("#dash-add-resource");
        await alex.TypeAsync("#res-name-0", "Circle night line");
        await alex.TypeAsync("#res-phone-0", "0800 222 333");
        await alex.Page.ClickAsync("#dash-save-resources");
        await Assertions.Expect(alex.Page.GetByTestId("circle-settings").Locator(".confirmation")).ToContainTextAsync("Members see these");

        await robin.Page.ClickAsync("#support-button");
        var panel = robin.Page.Locator("#support-panel");
        await Assertions.Expect(panel.Locator("a[href='tel:0800 222 333']")).ToBeVisibleAsync();
        await Assertions.Expect(panel).ToContainTextAsync("Circle night line");
        await Assertions.Expect(panel).Not.ToContainTextAsync("Find a helpline");
        await Assertions.Expect(panel.Locator("#support-tell-button")).ToBeVisibleAsync();
        await panel.Locator("#support-tell-button").ClickAsync();
        await Assertions.Expect(panel.Locator(".support-told")).ToContainTextAsync("They were told at");

        await alex.Page.ClickAsync("#dash-archive");
        await alex.Page.ClickAsync("#dash-archive-confirm");
        await Assertions.Expect(alex.Page.GetByTestId("archived-note")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.GetByTestId("circle-archived")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.Locator(".checkin-form")).ToHaveCountAsync(0);
        await Assertions.Expect(alex.Page.Locator("#dash-start-round")).ToHaveCountAsync(0);
        await kai.Page.GotoAsync("/circles");
        await Assertions.Expect(kai.Page.Locator(".circle-list li", new() { HasText = "Sunday circle" }).GetByTestId("archived-tag")).ToBeVisibleAsync();

        var robinId = await app.MemberIdAsync(robin);
        var refused = await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            app.Circle(circleId).CheckInAsync(robinId, new(null, Capacity.Some, null, "after", "circle")));
        Assert.Contains("archived", refused.Message);
        var export = await robin.Page.APIRequest.GetAsync("/api/me/export");
        Assert.Equal(200, export.Status);
        Assert.Contains("support-requested", await export.TextAsync());

        // Archived by mistake: reopened, and Robin's open page can share again without a reload.
        await alex.Page.ClickAsync("#dash-reopen");
        await alex.Page.ClickAsync("#dash-reopen-confirm");
        await Assertions.Expect(alex.Page.GetByTestId("archived-note")).ToHaveCountAsync(0);
        await alex.DashboardPartAsync("The session");
        await Assertions.Expect(alex.Page.Locator("#dash-start-round")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.GetByTestId("circle-archived")).ToHaveCountAsync(0);
        await Assertions.Expect(robin.Page.Locator(".checkin-form")).ToBeVisibleAsync();
        await Assertions.Expect(robin.Page.Locator(".feed")).ToContainTextAsync("reopened the circle");
        await kai.Page.ReloadAsync();
        await Assertions.Expect(kai.Page.Locator(".circle-list[data-settled='true']")).ToBeVisibleAsync();
        await Assertions.Expect(kai.Page.GetByTestId("archived-tag")).ToHaveCountAsync(0);
    }

    /// <summary>Alex (laptop) starts a circle; members join on phones and keep their circle pages open.</summary>
    private async Task<(Guid CircleId, Person Facilitator, IReadOnlyList<Person> Members)> CircleAsync(string circleName, params string[] memberNames)
    {
        var facilitator = await OpenBrowserAsync();
        await facilitator.RegisterAsync("Alex");
        var circleId = await facilitator.StartCircleAsync(circleName);
        var inviteCode = await facilitator.InviteCodeAsync();

        var members = new List<Person>();
        foreach (var name in memberNames)
        {
            var member = await OpenBrowserAsync(Phone);
            await member.RegisterAsync(name);
            await member.JoinCircleAsync(inviteCode, name);
            members.Add(member);
        }
        return (circleId, facilitator, members);
    }

    private async Task<Person> OpenBrowserAsync(ViewportSize? viewport = null)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, viewport);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
