using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Browser;

/// <summary>Sign-in security as a person goes through it: an authenticator app, the second step, passkeys.</summary>
public static partial class SignInSecuritySteps
{
    public sealed record Authenticator(string SharedKey, IReadOnlyList<string> RecoveryCodes);

    /// <summary>
    /// Sets up an authenticator app on /settings/security , reading the key as they would
    /// type it into their app, and keeps the recovery codes the page shows once.
    /// </summary>
    public static async Task<Authenticator> SetUpAuthenticatorAsync(this Person person)
    {
        var page = person.Page;
        await page.GotoAsync("/settings/security");
        await page.ClickAsync("#start-authenticator");
        var key = (await page.Locator("[data-testid=shared-key]").InnerTextAsync()).Trim();
        await page.FillAsync("#verify-code", Totp.Now(key));
        await page.ClickAsync("#verify-authenticator");
        var codes = page.Locator("[data-testid=recovery-codes] li");
        await Assertions.Expect(codes).ToHaveCountAsync(10);
        return new Authenticator(key, (await codes.AllInnerTextsAsync()).Select(c => c.Trim()).ToList());
    }

    /// <summary>Password, then the code the app shows now, on the second step's page.</summary>
    public static async Task SignInWithCodeAsync(this Person person, string sharedKey, bool rememberDevice = false)
    {
        var page = person.Page;
        await person.SignInAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SecondStep());
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("One more step");
        await page.FillAsync("#code", Totp.Now(sharedKey));
        if (rememberDevice) await page.CheckAsync("#remember-device");
        await page.Locator("main button[type=submit]").ClickAsync();
    }

    /// <summary>
    /// The browser's authenticator as a phone or laptop has one (Chromium's virtual authenticator, over CDP): it holds
    /// passkeys for this site and verifies the person at once, as a fingerprint would. Keep the session while it is needed.
    /// </summary>
    public static async Task<ICDPSession> UseVirtualAuthenticatorAsync(this Person person)
    {
        var cdp = await person.Page.Context.NewCDPSessionAsync(person.Page);
        await cdp.SendAsync("WebAuthn.enable", new Dictionary<string, object> { ["enableUI"] = false });
        await cdp.SendAsync("WebAuthn.addVirtualAuthenticator", new Dictionary<string, object>
        {
            ["options"] = new Dictionary<string, object>
            {
                ["protocol"] = "ctap2",
                ["transport"] = "internal",
                ["hasResidentKey"] = true,
                ["hasUserVerification"] = true,
                ["isUserVerified"] = true,
                ["automaticPresenceSimulation"] = true,
            },
        });
        return cdp;
    }

    /// <summary>Adds a passkey with this name on /settings/security and waits until the page lists it.</summary>
    public static async Task AddPasskeyAsync(this Person person, string name)
    {
        var page = person.Page;
        if (!page.Url.EndsWith("/settings/security")) await page.GotoAsync("/settings/security");
        await page.FillAsync("#passkey-name", name);
        await page.ClickAsync("#add-passkey");
        await Assertions.Expect(page.Locator("[data-testid=passkey-status]")).ToHaveTextAsync($"Your passkey “{name}” is added. Next time, choose “Sign in with a passkey”.");
        await Assertions.Expect(page.GetByRole(AriaRole.List, new() { Name = "Your passkeys" })).ToContainTextAsync(name);
    }

    public static async Task SignInWithPasskeyAsync(this Person person)
    {
        await person.Page.GotoAsync("/account/login");
        await person.Page.ClickAsync("#passkey-sign-in");
    }

    [GeneratedRegex("/account/login/code\\?")]
    public static partial Regex SecondStep();
}
