using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Sam asks for support on a phone; Alex's dashboard shows it. Sam then finds, under Settings, that Alex opened it,
/// and their own sign-in; Alex finds the same line in the circle's access log, from the dashboard.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class AccessLogBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_member_sees_who_opened_their_support_request_and_the_facilitator_sees_it_in_the_circle_s_log()
    {
        var alex = await OpenAsync(null);
        await alex.RegisterAsync("Alex");
        var circleId = await alex.StartCircleAsync("Thursday circle");
        var inviteCode = await alex.InviteCodeAsync();
        var sam = await OpenAsync(Phone);
        await sam.RegisterAsync("Sam");
        await sam.JoinCircleAsync(inviteCode, "Sam");

        await sam.AskForSupportAsync("a hard night");
        await alex.OpenDashboardAsync();
        await Assertions.Expect(alex.Page.Locator("li.alert-item[data-type=support-requested]")).ToContainTextAsync("Sam asked for support");

        // Sam, by keyboard on the phone: Settings, then the log.
        await sam.Page.GotoAsync("/settings");
        await sam.Page.Locator("#access-log-link").FocusAsync();
        await sam.Page.Keyboard.PressAsync("Enter");
        var aboutSam = sam.Page.GetByTestId("about-me");
        await Assertions.Expect(aboutSam.Locator("li.access-entry")).ToHaveCountAsync(1);
        await Assertions.Expect(aboutSam).ToContainTextAsync("Alex opened your support request · Thursday circle · 1 entry");
        await Assertions.Expect(aboutSam).Not.ToContainTextAsync("a hard night");
        await Assertions.Expect(sam.Page.GetByTestId("sign-ins")).ToContainTextAsync("You signed in · Chrome on Linux");
        Assert.True(await sam.Page.EvaluateAsync<bool>("() => document.documentElement.scrollWidth <= window.innerWidth"),
            "The log is wider than the phone's screen.");

        await alex.DashboardPartAsync("Schedule and settings");
        await alex.Page.GetByTestId("access-log-link").ClickAsync();
        var circleLog = alex.Page.GetByTestId("circle-log");
        await Assertions.Expect(circleLog).ToContainTextAsync("You opened Sam’s support request · 1 entry");
        await Assertions.Expect(alex.Page.Locator("h1")).ToHaveTextAsync("Access log of Thursday circle");

        // Sam does not facilitate: the circle's log tells them so, and shows nothing.
        await sam.Page.GotoAsync($"/circles/{circleId}/access-log");
        await Assertions.Expect(sam.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("Only the circle's facilitators can read its access log.");
        await Assertions.Expect(sam.Page.GetByTestId("circle-log")).ToHaveCountAsync(0);
    }

    private async Task<Person> OpenAsync(ViewportSize? viewport)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, viewport, touch: viewport is not null);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
