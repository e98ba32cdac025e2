using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>
/// Sign-in security in a real browser: an authenticator app set up on a phone by keyboard, the second step at sign-in,
/// recovery codes that each work once, new codes, turning it off after a question, and passkeys made and used with the
/// browser's own authenticator.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed partial class SignInSecurityBrowserTests(GroupsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task An_authenticator_set_up_on_a_phone_asks_for_its_code_at_sign_in_and_each_recovery_code_works_once()
    {
        var rae = await OpenAsync(Phone);
        var page = rae.Page;
        await rae.RegisterAsync("Rae");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Main" }).GetByRole(AriaRole.Link, new() { Name = "Settings" }).ClickAsync();
        await page.ClickAsync("#security-link");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign-in security");

        // By keyboard: the button, then the code field, each sent with Enter.
        await page.FocusAsync("#start-authenticator");
        await page.Keyboard.PressAsync("Enter");
        var key = (await page.Locator("[data-testid=shared-key]").InnerTextAsync()).Trim();
        Assert.Matches("^[a-z2-7]{4}( [a-z2-7]{1,4})+$", key);
        Assert.StartsWith("otpauth://totp/BetweenSessions:rae.", await page.Locator("[data-testid=authenticator-link]").GetAttributeAsync("href"));
        await page.FocusAsync("#verify-code");
        await page.Keyboard.TypeAsync(Totp.Wrong(key));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That code did not match.");
        Assert.Equal(key, (await page.Locator("[data-testid=shared-key]").InnerTextAsync()).Trim());
        await Assertions.Expect(page.Locator("#verify-code")).ToHaveValueAsync("");
        await page.FocusAsync("#verify-code");
        await page.Keyboard.TypeAsync(Totp.Now(key));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("[data-testid=authenticator-status]")).ToHaveTextAsync(
            "Your authenticator app is on. From your next sign-in, you will be asked for a code.");
        var codes = (await page.Locator("[data-testid=recovery-codes] li").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        Assert.Equal(10, codes.Count);
        Assert.All(codes, c => Assert.Matches("^[A-Z0-9]{5}-[A-Z0-9]{5}$", c));
        await Assertions.Expect(page.Locator("[data-testid=recovery-codes-left]")).ToHaveTextAsync("Recovery codes left: 10.");
        await AssertFitsAsync(page);

        // The password alone is not enough now; a wrong code is refused with a reason, the right one lets her in.
        await rae.SignOutAsync();
        await rae.SignInAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SignInSecuritySteps.SecondStep());
        await AssertFitsAsync(page);
        await page.FillAsync("#code", Totp.Wrong(key));
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "That code did not match. Codes change every 30 seconds: please enter the one your app shows now.");
        await page.FillAsync("#code", Totp.Now(key));
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(CirclesPage());

        // A recovery code instead of the app: once.
        await rae.SignOutAsync();
        await rae.SignInAsync();
        await page.ClickAsync("#use-recovery-code");
        await page.FillAsync("#recovery-code", codes[0]);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(CirclesPage());
        await rae.SignOutAsync();
        await rae.SignInAsync();
        await page.ClickAsync("#use-recovery-code");
        await page.FillAsync("#recovery-code", codes[0]);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(
            "That recovery code did not match, or it has been used before. Each code works once.");
        // Typed as a person may, without the hyphen and in small letters.
        await page.FillAsync("#recovery-code", codes[1].Replace("-", " ").ToLowerInvariant());
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(CirclesPage());
        await page.GotoAsync("/settings/security");
        await Assertions.Expect(page.Locator("[data-testid=recovery-codes-left]")).ToHaveTextAsync("Recovery codes left: 8.");

        await page.GotoAsync("/settings/access-log");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("with an authenticator code");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("with a recovery code");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("wrong authenticator code");
    }

    [Fact]
    public async Task New_recovery_codes_replace_the_old_ones_and_turning_the_authenticator_off_asks_first()
    {
        var sam = await OpenAsync();
        var page = sam.Page;
        await sam.RegisterAsync("Sam");
        var authenticator = await sam.SetUpAuthenticatorAsync();

        await page.GotoAsync("/settings/security");
        await Assertions.Expect(page.Locator("[data-testid=recovery-codes]")).ToHaveCountAsync(0);
        await page.ClickAsync("#new-recovery-codes");
        await Assertions.Expect(page.Locator("[data-testid=authenticator-status]")).ToHaveTextAsync("Here are new recovery codes. The old ones no longer work.");
        var fresh = (await page.Locator("[data-testid=recovery-codes] li").AllInnerTextsAsync()).Select(c => c.Trim()).ToList();
        Assert.Equal(10, fresh.Count);
        Assert.Empty(fresh.Intersect(authenticator.RecoveryCodes));

        // Turning it off asks first; keeping it changes nothing.
        await page.ClickAsync("#turn-off");
        await Assertions.Expect(page.GetByRole(AriaRole.Group)).ToContainTextAsync("Turn off the authenticator app?");
        await page.ClickAsync("#turn-off-cancel");
        await Assertions.Expect(page.Locator("[data-testid=authenticator-on]")).ToBeVisibleAsync();
        await page.ClickAsync("#turn-off");
        await page.ClickAsync("#turn-off-confirm");
        await Assertions.Expect(page.Locator("[data-testid=authenticator-status]")).ToHaveTextAsync(
            "The authenticator app is off. Signing in asks for your password only.");
        await Assertions.Expect(page.Locator("#start-authenticator")).ToBeVisibleAsync();

        await sam.SignOutAsync();
        await sam.SignInAsync();
        await Assertions.Expect(page).ToHaveURLAsync(CirclesPage());
    }

    [Fact]
    public async Task A_passkey_signs_in_without_a_password_until_it_is_removed()
    {
        var ana = await OpenAsync();
        var page = ana.Page;
        var authenticator = await ana.UseVirtualAuthenticatorAsync();
        await ana.RegisterAsync("Ana");
        await page.GotoAsync("/settings/security");
        await Assertions.Expect(page.Locator("[data-testid=no-passkeys]")).ToBeVisibleAsync();
        await ana.AddPasskeyAsync("Test phone");

        await ana.SignOutAsync();
        await ana.SignInWithPasskeyAsync();
        await Assertions.Expect(page).ToHaveURLAsync(CirclesPage());
        await page.GotoAsync("/settings/access-log");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("with a passkey");

        await page.GotoAsync("/settings/security");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove Test phone" }).ClickAsync();
        await Assertions.Expect(page.Locator("[data-testid=passkey-status]")).ToHaveTextAsync("“Test phone” is removed: it no longer signs you in.");
        await Assertions.Expect(page.Locator("[data-testid=no-passkeys]")).ToBeVisibleAsync();

        // The device still holds it, but the account no longer knows it.
        await ana.SignOutAsync();
        await ana.SignInWithPasskeyAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert).First).ToHaveTextAsync(
            "That passkey did not sign you in. It may have been removed from your account; your password still works.");
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login"));
        GC.KeepAlive(authenticator);
    }

    [Fact]
    public async Task The_sign_in_security_pages_have_no_serious_or_critical_accessibility_violations()
    {
        var report = new Dictionary<string, IReadOnlyList<string>>();
        var robin = await OpenAsync(Phone);
        var page = robin.Page;
        await robin.UseVirtualAuthenticatorAsync();
        await robin.RegisterAsync("Robin");
        await page.GotoAsync("/settings/security");
        await AxeScan.ScanAsync(page, "sign-in security, nothing set up, phone", report);
        await page.ClickAsync("#start-authenticator");
        await Assertions.Expect(page.Locator("[data-testid=shared-key]")).ToBeVisibleAsync();
        await AxeScan.ScanAsync(page, "sign-in security, setting up an app, phone", report);
        var authenticator = await robin.SetUpAuthenticatorAsync();
        await robin.AddPasskeyAsync("Robin's phone");
        await AxeScan.ScanAsync(page, "sign-in security, app on and a passkey, phone", report);
        await robin.SignOutAsync();
        await robin.SignInAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SignInSecuritySteps.SecondStep());
        await AxeScan.ScanAsync(page, "second step, phone", report);
        await page.ClickAsync("#use-recovery-code");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Sign in with a recovery code");
        await AxeScan.ScanAsync(page, "recovery code, phone", report);
        AxeScan.AssertClean(report);
        Assert.NotEmpty(authenticator.SharedKey);
    }

    /// <summary>Nothing is wider than the screen: no sideways scrolling on a phone.</summary>
    private static async Task AssertFitsAsync(IPage page)
    {
        var (content, screen) = (await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth"), page.ViewportSize!.Width);
        Assert.True(content <= screen, $"{page.Url} is {content} px wide on a {screen} px screen.");
    }

    private async Task<Person> OpenAsync(ViewportSize? viewport = null)
    {
        var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, viewport);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
    }

    [GeneratedRegex("/circles$")]
    private static partial Regex CirclesPage();
}
