using BetweenSessions.Groups.Web.Tests.Browser;
using Microsoft.Playwright;
using static BetweenSessions.Groups.Web.Tests.Localization.PseudoLocaleScan;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// The converted pages show no word that is not from resources: in the pseudo-locale every visible text, option,
/// aria-label, placeholder and title is inside ⟦ ⟧, except data (the person's own name and address, a time zone id).
/// A page added to the conversion is added here.
/// </summary>
[Collection(PseudoLocaleAppFixture.Collection)]
public sealed class PseudoLocaleBrowserTests(PseudoLocaleAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private Person? _person;

    [Fact]
    public async Task Converted_pages_show_only_words_from_resources()
    {
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone, timeZoneId: "UTC");
        var page = _person.Page;
        var found = new Dictionary<string, IReadOnlyList<string>>();

        await page.GotoAsync("/");
        found["home, signed out"] = await UnmarkedAsync(page);
        await page.GotoAsync("/account/confirm-email");
        found["confirm email, an old link"] = await UnmarkedAsync(page);
        await page.GotoAsync("/account/deleted");
        found["account deleted"] = await UnmarkedAsync(page);

        await _person.RegisterAsync("Kim");
        await page.GotoAsync("/");
        found["home, signed in"] = await UnmarkedAsync(page, "Kim", _person.Email!);

        await page.GotoAsync("/settings");
        await Assertions.Expect(page.Locator("#language")).ToBeVisibleAsync();
        found["settings"] = await UnmarkedAsync(page, "Kim", _person.Email!, "UTC");

        var failing = found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value)).ToList();
        Assert.True(failing.Count == 0, "Words not from resources:\n" + string.Join("\n", failing));
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}
