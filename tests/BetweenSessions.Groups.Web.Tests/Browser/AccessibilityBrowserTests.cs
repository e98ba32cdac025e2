using System.Text.RegularExpressions;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// axe-core over the main pages, as they are really used: signed out, then a facilitator (laptop) and a member
/// (phone) in a circle with entries, an open round and the support resources showing. No serious or critical
/// violation may remain; a failure lists every one, page by page.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class AccessibilityBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _report = [];

    [Fact]
    public async Task The_main_pages_have_no_serious_or_critical_accessibility_violations()
    {
        var visitor = await OpenBrowserAsync(Phone);
        await ScanAtAsync(visitor, "/", "home, signed out");
        await ScanAtAsync(visitor, "/account/login", "sign in");
        await ScanAtAsync(visitor, "/account/register", "register");

        var facilitator = await OpenBrowserAsync();
        await facilitator.RegisterAsync("Alex");
        await Assertions.Expect(facilitator.Page.Locator("h1")).ToHaveTextAsync("My circles");
        await AxeScan.ScanAsync(facilitator.Page, "/circles with no circle yet", _report);
        var circleId = await facilitator.StartCircleAsync("Accessible circle");
        var inviteCode = await facilitator.InviteCodeAsync();

        var robin = await OpenBrowserAsync(Phone);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(inviteCode, "Robin");
        await robin.CheckInWithFeelingsAsync("Steady", "calm, hopeful", "A walk this morning.");
        await robin.ShareWinAsync("I made the phone call.");
        await robin.MakeCommitmentAsync("A short walk", "After lunch", "Ten minutes");
        await facilitator.CheckInWithFeelingsAsync("Some capacity", "present", "Glad to be here.");

        await facilitator.TypeAsync("#round-prompt", "One word for your week?");
        await facilitator.Page.ClickAsync("#start-round-button");
        await Assertions.Expect(robin.Page.Locator(".round-banner")).ToContainTextAsync("One word for your week?");
        await robin.AskForSupportAsync("A hard evening");
        await Assertions.Expect(facilitator.Page.Locator("[data-testid=support-requests]")).ToContainTextAsync("Robin");
        await Assertions.Expect(facilitator.FeedItemOfType("win-shared", "I made the phone call.")).ToBeVisibleAsync();

        await AxeScan.ScanAsync(facilitator.Page, "circle page, facilitator, round open, support asked", _report);
        await AxeScan.ScanAsync(robin.Page, "circle page, member on a phone, round open, support resources shown", _report);

        await ScanAtAsync(robin, "/circles", "/circles with a circle", "h1");
        await robin.Page.GotoAsync($"/circles/{circleId}/patterns");
        await Assertions.Expect(robin.Page.Locator(".capacity-chart svg").First).ToBeVisibleAsync();
        await robin.Page.Locator("details.chart-table summary").ClickAsync();
        await AxeScan.ScanAsync(robin.Page, "my patterns, phone", _report);
        await ScanAtAsync(robin, "/settings", "settings, phone");

        AxeScan.AssertClean(_report);
    }

    [Fact]
    public async Task Radio_groups_are_announced_by_their_question_not_their_field_name()
    {
        var facilitator = await OpenBrowserAsync();
        await facilitator.RegisterAsync("Alex");
        await facilitator.StartCircleAsync("Named groups");
        var inviteCode = await facilitator.InviteCodeAsync();
        var robin = await OpenBrowserAsync(Phone);
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(inviteCode, "Robin");
        await robin.MakeCommitmentAsync("A short walk", "After lunch", "Ten minutes");
        await facilitator.TypeAsync("#round-prompt", "One word for your week?");
        await facilitator.Page.ClickAsync("#start-round-button");
        var page = robin.Page;
        await Assertions.Expect(page.Locator(".round-banner")).ToContainTextAsync("One word for your week?");

        // The live round's capacity question.
        var round = page.GetByRole(AriaRole.Region, new() { Name = "A round is open" });
        var roundCapacity = round.GetByRole(AriaRole.Radiogroup, new() { Name = "Your capacity (optional)", Exact = true });
        await Assertions.Expect(roundCapacity).ToBeVisibleAsync();
        await Assertions.Expect(roundCapacity.GetByRole(AriaRole.Radio)).ToHaveCountAsync(Capacity.All.Count);

        // How a practice went, inside the commitment.
        var commitment = robin.Commitment("A short walk");
        await commitment.Locator("details.log-practice summary").ClickAsync();
        var outcome = commitment.GetByRole(AriaRole.Radiogroup, new() { Name = "How did it go?", Exact = true });
        await Assertions.Expect(outcome).ToBeVisibleAsync();
        await Assertions.Expect(outcome.GetByRole(AriaRole.Radio, new() { Name = "Rested", Exact = true })).ToBeVisibleAsync();

        // No group anywhere on these is announced by a field name.
        await Assertions.Expect(page.GetByRole(AriaRole.Radiogroup, new() { Name = "round-capacity" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Radiogroup, new() { NameRegex = new Regex("^outcome-") })).ToHaveCountAsync(0);
    }

    private async Task ScanAtAsync(Person person, string path, string name, string ready = "main h1")
    {
        await person.Page.GotoAsync(path);
        await Assertions.Expect(person.Page.Locator(ready).First).ToBeVisibleAsync();
        await AxeScan.ScanAsync(person.Page, name, _report);
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
