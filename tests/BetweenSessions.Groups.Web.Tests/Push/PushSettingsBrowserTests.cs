using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Tests.Browser;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>
/// "Notifications on this phone" on the Settings page. Headless Chromium here cannot subscribe at a real push service
/// (no network), so this covers what a browser can show: the switches save and hold, the facilitator's switches appear
/// only for facilitators, and turning push on says plainly when this browser cannot.
/// </summary>
[Collection(PushAppFixture.Collection)]
public sealed class PushSettingsBrowserTests(PushAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private Person? _person;

    [Fact]
    public async Task A_member_chooses_what_may_buzz_their_phone_and_it_holds_after_a_reload()
    {
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone);
        var ada = _person;
        await ada.RegisterAsync("Ada");
        await ada.Page.GotoAsync("settings");
        var push = ada.Page.Locator("[data-testid=push]");
        await Assertions.Expect(push.GetByRole(AriaRole.Heading, new() { Name = "Notifications on this phone" })).ToBeVisibleAsync();
        await Assertions.Expect(push).ToContainTextAsync("Something from your circle");
        var cue = push.GetByRole(AriaRole.Checkbox, new() { Name = "Reminders of your own practice cues" });
        var reflect = push.GetByRole(AriaRole.Checkbox, new() { Name = "An invitation to reflect after a session" });
        await Assertions.Expect(cue).Not.ToBeCheckedAsync();
        await Assertions.Expect(reflect).Not.ToBeCheckedAsync();
        // A measure one chose is one's own, so its switch is everyone's; its nudges say only that it is open.
        await Assertions.Expect(push.GetByRole(AriaRole.Checkbox, new() { Name = "A measure you chose is open again" })).Not.ToBeCheckedAsync();
        // Not a facilitator anywhere: the facilitator's kinds are not offered.
        await Assertions.Expect(push.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(3);

        await Person.RetryUntilAsync(() => cue.ClickAsync(), () => cue.IsCheckedAsync(), "cue reminders to be chosen");
        await Assertions.Expect(push.Locator("[data-testid=push-saved]")).ToHaveTextAsync("Saved.");

        var report = new Dictionary<string, IReadOnlyList<string>>();
        await AxeScan.ScanAsync(ada.Page, "settings with notifications on a phone", report);
        AxeScan.AssertClean(report);

        await ada.Page.ReloadAsync();
        await Assertions.Expect(ada.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Reminders of your own practice cues" })).ToBeCheckedAsync();
        await Assertions.Expect(ada.Page.GetByRole(AriaRole.Checkbox, new() { Name = "An invitation to reflect after a session" })).Not.ToBeCheckedAsync();
        var choices = await app.Grains.GetGrain<IMemberSettingsGrain>(await app.MemberIdAsync(ada)).GetPushAsync();
        Assert.Equal(new PushChoices(Cue: true), choices);
        Assert.True(await ada.FitsTheScreenAsync());
    }

    [Fact]
    public async Task Turning_push_on_where_the_browser_cannot_says_so_plainly_and_a_facilitator_sees_their_own_switches()
    {
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone);
        var fay = _person;
        await fay.Page.Context.GrantPermissionsAsync(["notifications"]);
        await fay.RegisterAsync("Fay");
        await fay.StartCircleAsync("Thursday circle");
        await fay.Page.GotoAsync("settings");
        var push = fay.Page.Locator("[data-testid=push]");
        await Assertions.Expect(push.GetByRole(AriaRole.Checkbox)).ToHaveCountAsync(5);
        await Assertions.Expect(push.GetByRole(AriaRole.Checkbox, new() { Name = "A member of a circle you facilitate asks for support" })).Not.ToBeCheckedAsync();
        await Assertions.Expect(push.GetByRole(AriaRole.Checkbox, new() { Name = "A member brings something for the next session" })).Not.ToBeCheckedAsync();

        var status = push.Locator("[data-testid=push-status]");
        await Assertions.Expect(status).ToHaveTextAsync("Notifications are off for this phone.");
        // By keyboard, as anyone may.
        await push.GetByRole(AriaRole.Button, new() { Name = "Turn on for this phone" }).FocusAsync();
        await fay.Page.Keyboard.PressAsync("Enter");
        // Here no push service can be reached (and, until the app's service worker exists, nothing can receive one).
        await Assertions.Expect(status).ToContainTextAsync("cannot receive notifications");
        await Assertions.Expect(status).ToContainTextAsync("Nudges still appear in the app.");
        Assert.Empty(await app.EndpointsOfAsync(await app.MemberIdAsync(fay)));
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}
