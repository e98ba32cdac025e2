using System.Net.Http.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Accounts;

/// <summary>
/// The facilitator rule in the browser: a facilitator who signed in with a password only is told calmly why the
/// dashboard, rounds and starting a circle wait, and where to set up a second step; signed in with a code, a
/// remembered device or a passkey, they facilitate as usual.
/// </summary>
[Collection(StrongSignInAppFixture.Collection)]
public sealed partial class StrongSignInBrowserTests(StrongSignInAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private const string Refusal =
        "To keep what members share safe, facilitators on this server sign in with a second step: a code from an " +
        "authenticator app, or a passkey. Set one up under Settings, Sign-in security, then sign in again with it.";

    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_co_facilitator_signed_in_with_a_password_only_is_shown_why_the_dashboard_waits_and_after_signing_in_with_a_code_it_opens()
    {
        // Lead runs the circle, signed in with a code; Co joins it in the browser with a password.
        var lead = await app.RegisterAsync("lead");
        var leadAuthenticator = await app.TurnOnAuthenticatorAsync(lead);
        var strongLead = await lead.WithTokenFromAsync(await app.LoginAsync(lead.Email, twoFactorCode: Totp.Now(leadAuthenticator.SharedKey)));
        var circle = await strongLead.CreateCircleAsync("Tuesday circle", "Lead");
        var co = await OpenAsync();
        var page = co.Page;
        await co.RegisterAsync("Co");
        await Assertions.Expect(page.Locator("[data-testid=start-needs-strong-sign-in]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#create-button")).ToHaveCountAsync(0);
        await co.JoinCircleAsync(circle.InviteCode!, "Co");
        var coId = (await strongLead.CircleAsync(circle.CircleId)).Members.Single(m => m.DisplayName == "Co").MemberId;
        await PromoteAsync(strongLead, circle.CircleId, coId);

        var dashboard = $"/circles/{circle.CircleId}/facilitate";
        await page.GotoAsync(dashboard);
        var waits = page.Locator("[data-testid=strong-sign-in-needed]");
        await Assertions.Expect(waits).ToContainTextAsync(Refusal);
        await Assertions.Expect(waits).ToContainTextAsync("You signed in with your password only this time.");
        await Assertions.Expect(page.Locator("[data-testid=dashboard]")).ToHaveCountAsync(0);
        await page.GotoAsync($"/circles/{circle.CircleId}/access-log");
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(Refusal);
        await page.GotoAsync($"/circles/{circle.CircleId}");
        await Assertions.Expect(page.Locator("[data-testid=rounds-need-strong-sign-in]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("#start-round-button")).ToHaveCountAsync(0);

        // From the dashboard's link to sign-in security; setting it up does not change how this sign-in was made.
        await page.GotoAsync(dashboard);
        await page.ClickAsync("#set-up-sign-in-security");
        await Assertions.Expect(page.Locator("[data-testid=facilitator-note]")).ToBeVisibleAsync();
        var authenticator = await co.SetUpAuthenticatorAsync();
        await page.GotoAsync(dashboard);
        await Assertions.Expect(page.Locator("[data-testid=strong-sign-in-needed]")).ToBeVisibleAsync();

        // Signed out, the dashboard's address leads through both steps and back to it.
        await co.SignOutAsync();
        await page.GotoAsync(dashboard);
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl=", RegexOptions.IgnoreCase));
        await page.FillAsync("#email", co.Email!);
        await page.FillAsync("#password", GroupsAppFixture.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in", Exact = true }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(SignInSecuritySteps.SecondStep());
        await page.FillAsync("#code", Totp.Now(authenticator.SharedKey));
        await page.CheckAsync("#remember-device");
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex($"/circles/{circle.CircleId}/facilitate$"));
        await Assertions.Expect(page.Locator("[data-testid=dashboard]")).ToBeVisibleAsync();
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Facilitating Tuesday circle");

        // This device was remembered after the code: the password alone signs in here, and it still counts.
        await co.SignOutAsync();
        await co.SignInAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/circles$"));
        await page.GotoAsync($"/circles/{circle.CircleId}");
        await Assertions.Expect(page.Locator("#start-round-button")).ToBeVisibleAsync();
        await page.GotoAsync(dashboard);
        await Assertions.Expect(page.Locator("[data-testid=dashboard]")).ToBeVisibleAsync();
        await page.GotoAsync("/settings/access-log");
        await Assertions.Expect(page.Locator("main")).ToContainTextAsync("on a remembered device");
    }

    [Fact]
    public async Task Someone_signed_in_with_a_passkey_may_start_a_circle_and_open_its_dashboard()
    {
        var ana = await OpenAsync(new ViewportSize { Width = 390, Height = 844 });
        var page = ana.Page;
        var device = await ana.UseVirtualAuthenticatorAsync();
        await ana.RegisterAsync("Ana");
        await Assertions.Expect(page.Locator("[data-testid=start-needs-strong-sign-in]")).ToBeVisibleAsync();
        await ana.AddPasskeyAsync("Ana's phone");

        await ana.SignOutAsync();
        await ana.SignInWithPasskeyAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/circles$"));
        var circleId = await ana.StartCircleAsync("Ana's circle");
        await page.GotoAsync($"/circles/{circleId}/facilitate");
        await Assertions.Expect(page.Locator("[data-testid=dashboard]")).ToBeVisibleAsync();
        GC.KeepAlive(device);
    }

    private async Task PromoteAsync(TestUser facilitator, Guid circleId, string memberId)
    {
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/circles"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(facilitator.Token))
            .Build();
        await hub.StartAsync();
        await hub.InvokeAsync<JsonObject>("AddCoFacilitator", circleId.ToString(), new { clientEventId = $"promote-{memberId}", memberId });
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
}
