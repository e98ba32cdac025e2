using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Contracts.Settings;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Email;

/// <summary>Opting in to email nudges on a phone: off by default, named with the account's own address, clean for axe-core.</summary>
[Collection(EmailAppFixture.Collection)]
public sealed class EmailSettingsBrowserTests(EmailAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private Person? _person;

    [Fact]
    public async Task A_member_opts_in_to_email_nudges_on_a_phone_and_it_holds_after_a_reload()
    {
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone);
        var eli = _person;
        await eli.RegisterAsync("Eli");
        await eli.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();

        var email = eli.Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Also send nudges by email to {eli.Email}" });
        await Assertions.Expect(email).Not.ToBeCheckedAsync();
        await Assertions.Expect(eli.Page.Locator("main")).ToContainTextAsync("stop them with one click");
        await Person.RetryUntilAsync(() => email.ClickAsync(), () => email.IsCheckedAsync(), "email nudges to be chosen");
        await eli.Page.ClickAsync("#save-settings");
        await Assertions.Expect(eli.Page.Locator("[data-testid=settings-saved]")).ToContainTextAsync("You can change this any time.");

        var report = new Dictionary<string, IReadOnlyList<string>>();
        await AxeScan.ScanAsync(eli.Page, "settings with email nudges on a phone", report);
        AxeScan.AssertClean(report);

        await eli.Page.ReloadAsync();
        await Assertions.Expect(eli.Page.Locator("#save-settings")).ToBeVisibleAsync();
        await Assertions.Expect(eli.Page.GetByRole(AriaRole.Checkbox, new() { Name = $"Also send nudges by email to {eli.Email}" })).ToBeCheckedAsync();
        using var scope = app.Services.CreateScope();
        var user = await scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>().FindByEmailAsync(eli.Email!);
        Assert.True((await app.Grains.GetGrain<IMemberSettingsGrain>(user!.Id).GetAsync()).EmailNudges);
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}

/// <summary>Where no SMTP server is configured, the Settings page says nudges stay in the app and offers no email choice.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class EmailOffSettingsBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private Person? _person;

    [Fact]
    public async Task Without_an_smtp_host_the_settings_page_says_email_is_not_set_up()
    {
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, new ViewportSize { Width = 390, Height = 844 });
        await _person.RegisterAsync("Oli");
        await _person.Page.GotoAsync(new Uri(app.BaseAddress, "settings").ToString());
        await Assertions.Expect(_person.Page.Locator("[data-testid=email-off]")).ToContainTextAsync("email is not set up on this server");
        await Assertions.Expect(_person.Page.GetByRole(AriaRole.Checkbox, new() { Name = "Also send nudges by email", Exact = false })).ToHaveCountAsync(0);
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}
