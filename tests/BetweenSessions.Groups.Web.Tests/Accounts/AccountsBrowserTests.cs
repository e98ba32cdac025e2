using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Accounts;

/// <summary>
/// The account flows as people meet them on a phone and a laptop: a shared device that signs itself out, "Sign out
/// everywhere" reaching a page open on another device, a facilitator's reset link handed over in person, and deleting
/// the account.
/// </summary>
[Collection(SessionsAppFixture.Collection)]
public sealed partial class AccountsBrowserTests(SessionsAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };
    private readonly List<Person> _people = [];

    [Fact]
    public async Task A_session_without_keep_me_signed_in_ends_after_a_while_without_activity_and_one_with_it_does_not()
    {
        var kai = await OpenAsync(Phone);
        await kai.RegisterAsync("Kai"); // a new account's first session: not kept
        await Assertions.Expect(kai.Page.Locator("#idle-sign-out")).ToHaveCountAsync(1);
        // Still a shared-device session after the cookie's session check (every second here) made its principal afresh.
        await kai.Page.WaitForTimeoutAsync(2500);
        await kai.Page.ReloadAsync();
        await Assertions.Expect(kai.Page.Locator("#idle-sign-out")).ToHaveCountAsync(1);

        // Nothing is touched for longer than the limit: the page signs out by itself and says why.
        await Assertions.Expect(kai.Page).ToHaveURLAsync(new Regex("/account/login\\?reason=idle"),
            new() { Timeout = (float)(SessionsAppFixture.IdleSignOut + TimeSpan.FromSeconds(20)).TotalMilliseconds });
        await Assertions.Expect(kai.Page.GetByRole(AriaRole.Status).First).ToContainTextAsync("signed out after a while without activity");
        await kai.Page.GotoAsync("/circles");
        await Assertions.Expect(kai.Page).ToHaveURLAsync(new Regex("/account/login"));

        // Kept signed in on their own phone: no idle limit.
        await kai.Page.FillAsync("#email", kai.Email!);
        await kai.Page.FillAsync("#password", GroupsAppFixture.Password);
        await kai.Page.CheckAsync("#remember");
        await kai.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(kai.Page).ToHaveURLAsync(new Regex("/circles"));
        await Assertions.Expect(kai.Page.GetByRole(AriaRole.Heading, new() { Name = "My circles" })).ToBeVisibleAsync();
        await Assertions.Expect(kai.Page.Locator("#idle-sign-out")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Sign_out_everywhere_on_the_laptop_also_ends_the_page_open_on_the_phone()
    {
        var lou = await OpenAsync(null);
        await lou.RegisterAsync("Lou");
        var phone = await lou.OnAnotherDeviceAsync(browsers.Browser, app.BaseAddress, Phone);
        _people.Add(phone);
        await Assertions.Expect(phone.Page.GetByRole(AriaRole.Heading, new() { Name = "My circles" })).ToBeVisibleAsync();

        await lou.Page.GotoAsync("/settings");
        await lou.Page.Locator("#sign-out-everywhere").ClickAsync();

        await Assertions.Expect(lou.Page).ToHaveURLAsync(new Regex("/account/login\\?reason=everywhere"));
        await Assertions.Expect(lou.Page.GetByRole(AriaRole.Status).First).ToHaveTextAsync("You are signed out everywhere: on this device and every other one.");
        // The phone's page makes no request of its own; its session check finds the session ended and it goes to sign-in.
        await Assertions.Expect(phone.Page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl="));
    }

    [Fact]
    public async Task Changing_the_password_keeps_this_device_signed_in_and_signs_out_the_others()
    {
        var mo = await OpenAsync(null);
        await mo.RegisterAsync("Mo");
        var phone = await mo.OnAnotherDeviceAsync(browsers.Browser, app.BaseAddress, Phone);
        _people.Add(phone);

        await mo.Page.GotoAsync("/settings");
        await mo.Page.Locator("#change-password-link").ClickAsync();
        await mo.Page.FillAsync("#current-password", "not my password");
        await mo.Page.FillAsync("#new-password", "a changed calm password");
        await mo.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(mo.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not your password now. Nothing has changed.");
        await mo.Page.FillAsync("#current-password", GroupsAppFixture.Password);
        await mo.Page.FillAsync("#new-password", "a changed calm password");
        await mo.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(mo.Page.GetByTestId("password-changed")).ToBeVisibleAsync();

        await Assertions.Expect(phone.Page).ToHaveURLAsync(new Regex("/account/login\\?returnUrl="));
        await mo.Page.GotoAsync("/circles");
        await Assertions.Expect(mo.Page.GetByRole(AriaRole.Heading, new() { Name = "My circles" })).ToBeVisibleAsync();
        await phone.SignInAsync("a changed calm password");
        await Assertions.Expect(phone.Page).ToHaveURLAsync(new Regex("/circles"));
    }

    [Fact]
    public async Task Without_email_a_member_gets_a_one_time_reset_link_from_their_facilitator_in_person()
    {
        var alex = await OpenAsync(null);
        await alex.RegisterAsync("Alex");
        await alex.StartCircleAsync("Thursday circle");
        var inviteCode = await alex.InviteCodeAsync();
        var sam = await OpenAsync(Phone);
        await sam.RegisterAsync("Sam");
        await sam.JoinCircleAsync(inviteCode, "Sam");
        await sam.SignOutAsync();

        // Sam forgot the password; this service sends no email, so the page says who can help.
        await sam.Page.GotoAsync("/account/login");
        await sam.Page.GetByRole(AriaRole.Link, new() { Name = "Forgot your password?" }).ClickAsync();
        await Assertions.Expect(sam.Page.GetByTestId("no-email")).ToContainTextAsync("Ask your circle’s facilitator for a one-time link");

        await alex.OpenDashboardAsync();
        await alex.DashboardPartAsync("People");
        await alex.MemberLine("Sam").GetByRole(AriaRole.Button, new() { NameRegex = new Regex("^Password reset link") }).ClickAsync();
        var panel = alex.Page.GetByTestId("reset-link-panel");
        await Assertions.Expect(panel).ToContainTextAsync("whoever has it can take over the account");
        await panel.GetByRole(AriaRole.Button, new() { Name = "Make the link" }).ClickAsync();
        var link = await panel.GetByTestId("reset-link").InputValueAsync();
        Assert.StartsWith(app.BaseAddress + "account/reset-password?", link);

        await sam.Page.GotoAsync(link);
        await sam.Page.FillAsync("#password", "a brand new calm password");
        await sam.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(sam.Page).ToHaveURLAsync(new Regex("/account/login\\?reason=reset"));
        await sam.SignInAsync("a brand new calm password");
        await Assertions.Expect(sam.Page).ToHaveURLAsync(new Regex("/circles"));

        // Once used, the link is spent.
        await sam.Page.GotoAsync(link);
        await sam.Page.FillAsync("#password", "yet another calm password");
        await sam.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(sam.Page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This link has been used already or is too old.");

        await sam.Page.GotoAsync("/settings/access-log");
        await Assertions.Expect(sam.Page.GetByTestId("about-me")).ToContainTextAsync("Alex made a one-time password reset link for you · Thursday circle");
    }

    [Fact]
    public async Task A_member_deletes_their_account_after_reading_what_goes_and_what_stays()
    {
        var alex = await OpenAsync(null);
        await alex.RegisterAsync("Alex");
        await alex.StartCircleAsync("Friday circle");
        var inviteCode = await alex.InviteCodeAsync();
        var noa = await OpenAsync(Phone);
        await noa.RegisterAsync("Noa");
        await noa.JoinCircleAsync(inviteCode, "Noa");
        await noa.CheckInAsync("Steady", "noa's own check-in");

        await noa.Page.GotoAsync("/settings");
        await Assertions.Expect(noa.Page.GetByTestId("what-stays")).ToContainTextAsync("What others wrote stays");
        await noa.Page.Locator("#delete-account").ClickAsync();
        await noa.Page.FillAsync("#delete-password", "not my password");
        await noa.Page.Locator("#delete-confirm").ClickAsync();
        await Assertions.Expect(noa.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That is not your password. Nothing has been deleted.");
        // Something written on this phone while offline and not sent yet: it goes with the account.
        var memberId = await noa.Page.Locator("form[action='account/logout']").GetAttributeAsync("data-member");
        await noa.Page.EvaluateAsync("key => localStorage.setItem(key, '[]')", "bsg.outbox." + memberId);
        await noa.Page.FillAsync("#delete-password", GroupsAppFixture.Password);
        await noa.Page.Locator("#delete-confirm").ClickAsync();

        await Assertions.Expect(noa.Page.GetByRole(AriaRole.Heading, new() { Name = "Your account is deleted" })).ToBeVisibleAsync();
        Assert.Null(await noa.Page.EvaluateAsync<string?>("key => localStorage.getItem(key)", "bsg.outbox." + memberId));
        var header = noa.Page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Assertions.Expect(header.GetByRole(AriaRole.Link, new() { Name = "Sign in" })).ToBeVisibleAsync();
        await noa.SignInAsync();
        await Assertions.Expect(noa.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That email and password do not match an account.");

        // Alex's circle page: Noa's check-in is gone, Noa's name with it.
        await alex.Page.ReloadAsync();
        await Assertions.Expect(alex.Page.Locator("main")).Not.ToContainTextAsync("noa's own check-in");
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
