using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>A member's own settings, kept across a reload, and leaving a circle, on a phone.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class SettingsAndLeavingBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task Settings_are_saved_and_shown_after_a_reload()
    {
        var kim = await OpenBrowserAsync();
        await kim.RegisterAsync("Kim");

        await kim.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        var pause = kim.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Pause every nudge" });
        // The prerendered page ignores clicks until its circuit connects: press until it shows as chosen.
        await Person.RetryUntilAsync(() => pause.ClickAsync(), () => pause.IsCheckedAsync(), "pause to be chosen");
        await kim.Page.ClickAsync("#save-settings");
        await Assertions.Expect(kim.Page.Locator("[data-testid=settings-saved]")).ToContainTextAsync("You can change this any time.");

        await kim.Page.ReloadAsync();

        await Assertions.Expect(kim.Page.Locator("#save-settings")).ToBeVisibleAsync();
        await Assertions.Expect(kim.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Pause every nudge" })).ToBeCheckedAsync();
        await Assertions.Expect(kim.Page.GetByRole(AriaRole.Checkbox, new() { Name = "A lighter week: fewer prompts for now" })).Not.ToBeCheckedAsync();
    }

    [Fact]
    public async Task A_member_who_leaves_a_circle_no_longer_finds_it_in_their_circles()
    {
        var alex = await OpenBrowserAsync();
        await alex.RegisterAsync("Alex");
        await alex.StartCircleAsync("Leaving gently");
        var inviteCode = await alex.InviteCodeAsync();
        var robin = await OpenBrowserAsync();
        await robin.RegisterAsync("Robin");
        await robin.JoinCircleAsync(inviteCode, "Robin");

        var confirm = robin.Page.Locator("#leave-confirm");
        await Person.RetryUntilAsync(() => robin.Page.ClickAsync("#leave-button"), () => confirm.IsVisibleAsync(), "the leave confirmation");
        await confirm.ClickAsync();

        await Assertions.Expect(robin.Page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/circles$"));
        await Assertions.Expect(robin.Page.Locator("main")).Not.ToContainTextAsync("Leaving gently");
        await Assertions.Expect(alex.Feed.Filter(new() { HasTextString = "left the circle." }).Filter(new() { HasTextString = "Robin" }))
            .ToBeVisibleAsync();
    }

    private async Task<Person> OpenBrowserAsync()
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
