using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Web.Components.Circles;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// A facilitator (laptop) sets when the circle meets on the dashboard; a member on a phone in another time zone sees
/// the next session in their own time, live on the circle page and on /circles.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class SessionsBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_weekly_schedule_set_on_the_dashboard_shows_as_the_next_session_in_the_members_own_time()
    {
        // Alex's laptop is in Tokyo and Alex never chose a zone: the schedule form starts there.
        var alex = await OpenAsync(null, "Asia/Tokyo");
        await alex.RegisterAsync("Alex");
        await alex.StartCircleAsync("Thursday evenings");
        var inviteCode = await alex.InviteCodeAsync();
        // The member's phone is in New York and they never chose a zone: the page reads times by the phone's clock.
        var sam = await OpenAsync(Phone, "America/New_York");
        await sam.RegisterAsync("Sam");
        await sam.JoinCircleAsync(inviteCode, "Sam");
        await Assertions.Expect(sam.Page.GetByTestId("next-session")).ToHaveCountAsync(0);

        await alex.OpenDashboardAsync();
        await alex.DashboardPartAsync("Schedule and settings");
        var panel = alex.Page.GetByTestId("schedule-panel");
        await panel.GetByLabel("How often the circle meets").SelectOptionAsync("weekly");
        await panel.GetByLabel("Day", new() { Exact = true }).SelectOptionAsync("Thursday");
        await panel.GetByLabel("Start time").FillAsync("19:00");
        await panel.GetByLabel("Start time").PressAsync("Tab");
        // The circle meets in Berlin: found by typing, not by scrolling four hundred zones.
        var zone = panel.Locator("div.rz-dropdown");
        await Assertions.Expect(zone.Locator(".rz-dropdown-label")).ToHaveTextAsync("Asia/Tokyo");
        await zone.ClickAsync();
        await alex.Page.Locator("input.rz-dropdown-filter").FillAsync("berl");
        await Assertions.Expect(alex.Page.Locator("li.rz-dropdown-item:visible")).ToHaveTextAsync(["Europe/Berlin"]);
        await alex.Page.Locator("li.rz-dropdown-item:visible").ClickAsync();
        await Assertions.Expect(zone.Locator(".rz-dropdown-label")).ToHaveTextAsync("Europe/Berlin");
        await panel.GetByLabel("Length in minutes").FillAsync("90");
        await panel.GetByLabel("Length in minutes").PressAsync("Tab");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Save the schedule" }).ClickAsync();
        await Assertions.Expect(panel.GetByRole(AriaRole.Status)).ToContainTextAsync("The schedule is saved");
        await Assertions.Expect(panel.GetByTestId("upcoming-sessions").Locator("li").First).ToContainTextAsync("Thu");
        await Assertions.Expect(panel.GetByTestId("upcoming-sessions").Locator("li").First).ToContainTextAsync("19:00");

        var report = new Dictionary<string, IReadOnlyList<string>>();
        await AxeScan.ScanAsync(alex.Page, "dashboard with the schedule panel set", report);

        // 19:00 in Berlin is 13:00 in New York (12:00 or 14:00 in the weeks their DST changes differ).
        var schedule = new SetSessionScheduleDraft(null, "weekly", "Europe/Berlin", "Thursday", "19:00", 90)
            .Validate(DateOnly.FromDateTime(DateTime.UtcNow)).Schedule!;
        var next = SessionCalendar.Next(schedule, DateTimeOffset.UtcNow)!;
        var expected = NextSession.Format(TimeZoneInfo.ConvertTime(next.Start, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")));
        var line = sam.Page.GetByTestId("next-session");
        await Assertions.Expect(line).ToHaveTextAsync($"Next session: {expected} (your time)");
        await AxeScan.ScanAsync(sam.Page, "circle page on a phone with the next session", report);

        // The opening round chosen for the next session waits on the opening agenda, one click from starting.
        await panel.GetByLabel("Opening round prompt for the session", new() { Exact = false }).SelectOptionAsync(RoundPrompts.Defaults[1]);
        await panel.GetByRole(AriaRole.Button, new() { Name = "Keep this prompt for the session" }).ClickAsync();
        await alex.DashboardPartAsync("The session");
        var opening = alex.Page.GetByTestId("opening-round");
        await Assertions.Expect(opening).ToContainTextAsync(RoundPrompts.Defaults[1]);
        await AxeScan.ScanAsync(alex.Page, "dashboard with an opening round chosen", report);
        await opening.GetByRole(AriaRole.Button, new() { Name = "Start the opening round" }).ClickAsync();
        await Assertions.Expect(sam.Page.Locator(".round-banner")).ToContainTextAsync(RoundPrompts.Defaults[1]);

        await sam.Page.GotoAsync("circles");
        await Assertions.Expect(sam.Page.GetByTestId("next-session")).ToHaveTextAsync($"Next session: {expected} (your time)");
        AxeScan.AssertClean(report);
    }

    private async Task<Person> OpenAsync(ViewportSize? viewport, string? zone)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, viewport, zone);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
