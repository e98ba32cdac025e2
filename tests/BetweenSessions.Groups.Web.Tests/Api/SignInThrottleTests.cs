using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Browser;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace BetweenSessions.Groups.Web.Tests.Api;

/// <summary>An app whose sign-in throttle allows 3 attempts per client address, then 1 a minute.</summary>
public sealed class ThrottledAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, sign-in throttled";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Accounts:SignInThrottle:Burst"] = "3",
        ["Accounts:SignInThrottle:PerMinute"] = "1",
    };
}

[CollectionDefinition(ThrottledAppFixture.Collection)]
public sealed class ThrottledAppCollection : ICollectionFixture<ThrottledAppFixture>;

/// <summary>
/// Trying one password on many accounts (password spraying) is slowed per client address, on the Identity API and on
/// the sign-in and sign-up pages alike; other addresses are not held back. The app trusts X-Forwarded-For from
/// loopback (its proxy), so each test plays clients at addresses of its own.
/// </summary>
[Collection(ThrottledAppFixture.Collection)]
public sealed class SignInThrottleTests(ThrottledAppFixture app, BrowserFixture browsers) : IClassFixture<BrowserFixture>
{
    private const string Refusal = "There have been many sign-in attempts from your network just now. Please wait a minute and try again.";

    [Fact]
    public async Task Spraying_passwords_across_accounts_is_refused_after_a_few_tries_and_another_address_still_signs_in()
    {
        var (rae, sam) = (await AccountAsync("rae", "198.51.100.1"), await AccountAsync("sam", "198.51.100.2"));
        using var sprayer = From("203.0.113.10");

        var guesses = new List<HttpStatusCode>();
        foreach (var email in new[] { rae, sam, "nobody@example.test" })
            guesses.Add((await sprayer.PostAsJsonAsync("/api/identity/login", new { email, password = "Summer2026!" })).StatusCode);
        Assert.All(guesses, status => Assert.Equal(HttpStatusCode.Unauthorized, status));

        // The fourth is refused before any password is checked: even the right one does not get through from here.
        var refused = await sprayer.PostAsJsonAsync("/api/identity/login", new { email = rae, password = GroupsAppFixture.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Refusal, (await refused.Content.ReadFromJsonAsync<JsonObject>())!["detail"]!.GetValue<string>());
        Assert.NotNull(refused.Headers.RetryAfter);
        var registering = await sprayer.PostAsJsonAsync("/api/identity/register", new { email = "new@example.test", password = GroupsAppFixture.Password });
        Assert.Equal(HttpStatusCode.TooManyRequests, registering.StatusCode);

        // Rae, at home, signs in as usual; the sprayer's guesses did not lock her account either.
        using var home = From("198.51.100.1");
        var login = await home.PostAsJsonAsync("/api/identity/login", new { email = rae, password = GroupsAppFixture.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Fact]
    public async Task The_sign_in_page_says_plainly_why_it_did_not_sign_in_and_does_not_sign_in()
    {
        const string address = "203.0.113.20";
        var ana = await AccountAsync("ana", "198.51.100.3");
        using (var sprayer = From(address))
            for (var i = 0; i < 3; i++)
                await sprayer.PostAsJsonAsync("/api/identity/login", new { email = ana, password = "wrong password" });

        await using var person = await Person.OpenAsync(browsers.Browser, app.BaseAddress);
        var page = person.Page;
        await page.Context.SetExtraHTTPHeadersAsync(new Dictionary<string, string> { ["X-Forwarded-For"] = address });
        await page.GotoAsync("/account/login");
        await page.FillAsync("#email", ana);
        await page.FillAsync("#password", GroupsAppFixture.Password);
        await page.Locator("main button[type=submit]").ClickAsync();

        await Assertions.Expect(page.GetByRole(AriaRole.Alert)).ToHaveTextAsync(Refusal);
        await page.GotoAsync("/circles");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/account/login"));
    }

    private HttpClient From(string address)
    {
        var http = app.Anonymous();
        http.DefaultRequestHeaders.Add("X-Forwarded-For", address);
        return http;
    }

    private async Task<string> AccountAsync(string nickname, string address)
    {
        var email = $"{nickname}.{Guid.NewGuid():N}@example.test";
        using var http = From(address);
        (await http.PostAsJsonAsync("/api/identity/register", new { email, password = GroupsAppFixture.Password })).EnsureSuccessStatusCode();
        return email;
    }
}
