using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static BetweenSessions.Groups.Web.Tests.Localization.PseudoLocaleScan;

namespace BetweenSessions.Groups.Web.Tests.Localization;

/// <summary>
/// The account pages, sign-in security and the access logs show no word that is not from resources, with their
/// validation messages, Identity's errors and their refusals: in the pseudo-locale every visible text is inside ⟦ ⟧,
/// except data (Kim's name and address, the authenticator key and recovery codes, a passkey's and a circle's name, the
/// device a sign-in came from).
/// </summary>
[Collection(PseudoLocaleAppFixture.Collection)]
public sealed class PseudoLocaleAccountPagesTests(PseudoLocaleAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];
    private readonly Dictionary<string, IReadOnlyList<string>> _found = [];

    [Fact]
    public async Task Account_pages_sign_in_security_and_access_logs_show_only_words_from_resources()
    {
        var visitor = await OpenAsync();
        var page = visitor.Page;
        var submit = page.Locator("main button[type=submit]").First;

        // Signed out: every page with its validation messages and refusals.
        await page.GotoAsync("/account/login?reason=idle");
        await ScanAsync(page, "sign in, signed out after a while");
        await submit.ClickAsync();
        await Assertions.Expect(page.Locator(".validation-message").First).ToBeVisibleAsync();
        await ScanAsync(page, "sign in, nothing typed");
        await page.FillAsync("#email", $"nobody.{Guid.NewGuid():N}@example.test");
        await page.FillAsync("#password", "not the password");
        await submit.ClickAsync();
        await Assertions.Expect(page.Locator("p.form-error[role=alert]").First).ToBeVisibleAsync();
        await ScanAsync(page, "sign in, no such account");

        await page.GotoAsync("/account/register");
        await ScanAsync(page, "create an account");
        await page.FillAsync("#displayName", "Kim");
        await page.FillAsync("#email", "not an address");
        await page.FillAsync("#password", "short");
        await page.EvaluateAsync("() => document.querySelector('#email').type = 'text'"); // past the browser's own check
        await submit.ClickAsync();
        await Assertions.Expect(page.Locator(".validation-message")).ToHaveCountAsync(2);
        await ScanAsync(page, "create an account, an address and password that will not do", "Kim", "not an address");

        await page.GotoAsync("/account/forgot-password");
        await ScanAsync(page, "forgot password, no email on this server");
        await page.GotoAsync("/account/reset-password?userId=nobody&code=nothing");
        await ScanAsync(page, "reset password");
        await page.FillAsync("#password", "a long enough password");
        await submit.ClickAsync();
        await Assertions.Expect(page.Locator("ul.form-error")).ToBeVisibleAsync();
        await ScanAsync(page, "reset password, an old link");
        await page.GotoAsync("/account/login/code");
        await ScanAsync(page, "second step, timed out");
        await page.GotoAsync("/account/login/recovery");
        await ScanAsync(page, "recovery code, timed out");

        // Kim, signed in.
        var kim = await OpenAsync();
        page = kim.Page;
        submit = page.Locator("main button[type=submit]").First;
        await kim.RegisterAsync("Kim");
        var data = new[] { "Kim", kim.Email! };

        // An address with an account already: Identity's own error.
        await visitor.Page.GotoAsync("/account/register");
        await visitor.Page.FillAsync("#displayName", "Kim");
        await visitor.Page.FillAsync("#email", kim.Email!);
        await visitor.Page.FillAsync("#password", GroupsAppFixture.Password);
        await visitor.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(visitor.Page.Locator("ul.form-error li")).ToHaveCountAsync(1);
        await ScanAsync(visitor.Page, "create an account, the address has one", data);

        await page.GotoAsync("/account/change-password");
        await ScanAsync(page, "change password", data);
        await page.FillAsync("#current-password", "not my password");
        await page.FillAsync("#new-password", "a new calm password");
        await submit.ClickAsync();
        await Assertions.Expect(page.Locator("ul.form-error")).ToBeVisibleAsync();
        await ScanAsync(page, "change password, not the password now", data);

        await page.GotoAsync("/settings/security");
        await ScanAsync(page, "sign-in security, nothing set up", data);
        await page.ClickAsync("#start-authenticator");
        var key = (await page.Locator("[data-testid=shared-key]").InnerTextAsync()).Trim();
        var uri = (await page.Locator("[data-testid=authenticator-uri]").InnerTextAsync()).Trim();
        await page.FillAsync("#verify-code", "000000");
        await page.ClickAsync("#verify-authenticator");
        await Assertions.Expect(page.Locator("[data-testid=authenticator] p.form-error[role=alert]")).ToBeVisibleAsync();
        await ScanAsync(page, "sign-in security, a code that did not match", [uri, .. data, key]);
        await page.FillAsync("#verify-code", Totp.Now(key.Replace(" ", "")));
        await page.ClickAsync("#verify-authenticator");
        var codes = page.Locator("[data-testid=recovery-codes] li");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        var recoveryCodes = (await codes.AllInnerTextsAsync()).Select(c => c.Trim());
        await ScanAsync(page, "sign-in security, app on, recovery codes", [.. data, .. recoveryCodes]);
        await page.ClickAsync("#turn-off");
        await Assertions.Expect(page.Locator("#turn-off-confirm")).ToBeVisibleAsync();
        await ScanAsync(page, "sign-in security, turning the app off?", data);

        var cdp = await kim.UseVirtualAuthenticatorAsync();
        await page.GotoAsync("/settings/security");
        await page.FillAsync("#passkey-name", "Blue phone");
        await page.ClickAsync("#add-passkey");
        await Assertions.Expect(page.Locator("[data-testid=passkey-status]")).ToBeVisibleAsync();
        await ScanAsync(page, "sign-in security, a passkey added", [.. data, "Blue phone"]);
        await cdp.DetachAsync();

        // The second step, from another device: the code, then a recovery code.
        var device = await OpenAsync();
        await device.Page.GotoAsync("/account/login");
        await device.Page.FillAsync("#email", kim.Email!);
        await device.Page.FillAsync("#password", GroupsAppFixture.Password);
        await device.Page.Locator("main button[type=submit]").First.ClickAsync();
        await Assertions.Expect(device.Page).ToHaveURLAsync(SignInSecuritySteps.SecondStep());
        await ScanAsync(device.Page, "second step", data);
        await device.Page.FillAsync("#code", "000000");
        await device.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(device.Page.Locator("p.form-error[role=alert]")).ToBeVisibleAsync();
        await ScanAsync(device.Page, "second step, a code that did not match", data);
        await device.Page.ClickAsync("#use-recovery-code");
        await Assertions.Expect(device.Page.Locator("#recovery-code")).ToBeVisibleAsync();
        await device.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(device.Page.Locator(".validation-message")).ToBeVisibleAsync();
        await ScanAsync(device.Page, "recovery code, nothing typed", data);

        // The access logs: the device a sign-in came from is data, recorded as it was.
        await page.GotoAsync("/settings/access-log");
        await Assertions.Expect(page.Locator("[data-testid=sign-ins] li.access-entry").First).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByTestId("about-me-empty")).ToBeVisibleAsync();
        var devices = (await page.Locator("li.access-entry > span.muted").AllInnerTextsAsync()).Select(d => d.Trim(' ', '·'));
        await ScanAsync(page, "who opened what", [.. data, .. devices]);

        await page.GotoAsync("/circles");
        var circleId = await kim.StartCircleAsync("Roble");
        await page.GotoAsync($"/circles/{circleId}/access-log");
        await Assertions.Expect(page.Locator("h1")).ToContainTextAsync("Roble");
        await Assertions.Expect(page.Locator("[data-testid=circle-log], [data-testid=circle-log-empty]")).ToBeVisibleAsync();
        await ScanAsync(page, "the circle's access log", [.. data, "Roble"]);

        var failing = _found.Where(f => f.Value.Count > 0).Select(f => $"{f.Key}:\n  " + string.Join("\n  ", f.Value)).ToList();
        Assert.True(failing.Count == 0, "Words not from resources:\n" + string.Join("\n", failing));
    }

    private async Task ScanAsync(IPage page, string name, params string[] data) => _found[name] = await UnmarkedAsync(page, data);

    private async Task<Person> OpenAsync()
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, Phone, timeZoneId: "UTC");
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }
}
