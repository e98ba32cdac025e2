using System.Text.RegularExpressions;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Email;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Accounts;

/// <summary>The app with email nudges' SMTP server and confirmation of new accounts' addresses required.</summary>
public sealed class ConfirmingEmailAppFixture : EmailAppFixture
{
    public const string ConfirmingCollection = "Groups app, confirming email";

    protected override IReadOnlyDictionary<string, string> Settings =>
        new Dictionary<string, string>(base.Settings) { ["Accounts:RequireConfirmedEmail"] = "true" };
}

[CollectionDefinition(ConfirmingEmailAppFixture.ConfirmingCollection)]
public sealed class ConfirmingEmailAppCollection : ICollectionFixture<ConfirmingEmailAppFixture>;

/// <summary>Links that come by email, followed in a browser: choosing a new password, and confirming an address.</summary>
public static partial class AccountEmailLinks
{
    /// <summary>The link in an email points at the public address; the test's app answers on loopback.</summary>
    public static string OnApp(ReceivedEmail email, Uri app)
    {
        var link = LinkPattern().Match(email.Text);
        Assert.True(link.Success, $"No link in: {email.Text}");
        return new Uri(app, new Uri(link.Value).PathAndQuery).ToString();
    }

    [GeneratedRegex(@"https?://\S+/account/\S+")]
    private static partial Regex LinkPattern();
}

[Collection(EmailAppFixture.Collection)]
public sealed class PasswordResetByEmailBrowserTests(EmailAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private Person? _person;

    [Fact]
    public async Task A_member_who_forgot_the_password_gets_a_link_by_email_and_the_page_does_not_tell_who_has_an_account()
    {
        app.Smtp.Require();
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress, new ViewportSize { Width = 390, Height = 844 }, touch: true);
        var ria = _person;
        await ria.RegisterAsync("Ria");
        await ria.SignOutAsync();

        var nobody = $"nobody.{Guid.NewGuid():N}@example.test";
        foreach (var address in new[] { nobody, ria.Email! })
        {
            await ria.Page.GotoAsync("/account/forgot-password");
            await ria.Page.FillAsync("#email", address);
            await ria.Page.Locator("main button[type=submit]").ClickAsync();
            await Assertions.Expect(ria.Page.GetByTestId("reset-sent")).ToContainTextAsync("If there is an account for that address");
        }

        var email = Assert.Single(await app.Smtp.WaitForAsync(ria.Email!, 1));
        Assert.Equal("Choose a new password", email.Subject);
        Assert.Contains("This link works once, for a day", email.Text);
        Assert.Empty(app.Smtp.To(nobody));

        await ria.Page.GotoAsync(AccountEmailLinks.OnApp(email, app.BaseAddress));
        await ria.Page.FillAsync("#password", "a new and calm password");
        await ria.Page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(ria.Page).ToHaveURLAsync(new Regex("/account/login\\?reason=reset"));
        await ria.SignInAsync();
        await Assertions.Expect(ria.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("That email and password do not match an account.");
        await ria.SignInAsync("a new and calm password");
        await Assertions.Expect(ria.Page).ToHaveURLAsync(new Regex("/circles"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}

[Collection(ConfirmingEmailAppFixture.ConfirmingCollection)]
public sealed class EmailConfirmationBrowserTests(ConfirmingEmailAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>, IAsyncDisposable
{
    private Person? _person;

    [Fact]
    public async Task With_confirmation_required_a_new_account_signs_in_only_after_the_link_in_its_email()
    {
        app.Smtp.Require();
        _person = await Person.OpenAsync(browsers.Browser, app.BaseAddress);
        var page = _person.Page;
        var address = $"tam.{Guid.NewGuid():N}@example.test";
        await page.GotoAsync("/account/register");
        await page.FillAsync("#displayName", "Tam");
        await page.FillAsync("#email", address);
        await page.FillAsync("#password", GroupsAppFixture.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByTestId("confirm-sent")).ToContainTextAsync($"we sent a link to {address}");

        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", address);
        await page.FillAsync("#password", GroupsAppFixture.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Please confirm your email address first");

        var email = Assert.Single(await app.Smtp.WaitForAsync(address, 1));
        Assert.Equal("Confirm your email address", email.Subject);
        await page.GotoAsync(AccountEmailLinks.OnApp(email, app.BaseAddress));
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/account/login\\?reason=confirmed"));
        await page.FillAsync("#email", address);
        await page.FillAsync("#password", GroupsAppFixture.Password);
        await page.Locator("main button[type=submit]").ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new Regex("/circles"));
    }

    public async ValueTask DisposeAsync()
    {
        if (_person is not null) await _person.DisposeAsync();
    }
}
