using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Api;

/// <summary>
/// What outside probing found: another site's page acting as a signed-in member through their cookie (a text/plain
/// post to the REST API, a Blazor circuit), and headers that say too much or too little.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class SecurityHardeningTests(GroupsAppFixture app)
{
    private const string Foreign = "https://evil.example.test";

    [Fact]
    public async Task Another_sites_page_cannot_make_a_member_leave_through_their_cookie_but_their_own_page_and_their_app_can()
    {
        var (facilitator, member) = (await app.RegisterAsync("fay"), await app.RegisterAsync("moe"));
        var circle = await facilitator.CircleWithMembersAsync(member);
        using var browser = await SignedInBrowserAsync(member);

        // As a foreign page's form or no-preflight fetch sends it: the cookie goes along, the Origin says whose page.
        var refused = await browser.SendAsync(Leave(circle.CircleId, Foreign));
        Assert.Equal("Origin not allowed.", (await refused.ReadProblemAsync(HttpStatusCode.Forbidden)).Title);
        Assert.Contains(await member.MyCirclesAsync(), c => c.CircleId == circle.CircleId);
        // Without any Origin, as a browser never sends a cross-site write, the cookie alone is not enough either
        // when the browser says the request came from another site.
        var crossSite = Leave(circle.CircleId, origin: null);
        crossSite.Headers.Add("Sec-Fetch-Site", "cross-site");
        Assert.Equal(HttpStatusCode.Forbidden, (await browser.SendAsync(crossSite)).StatusCode);
        Assert.Contains(await member.MyCirclesAsync(), c => c.CircleId == circle.CircleId);

        // A bearer token cannot be ridden by another page: the member's own app may call from anywhere.
        var otherCircle = await facilitator.CircleWithMembersAsync(member);
        var withToken = Leave(otherCircle.CircleId, Foreign);
        withToken.Headers.Authorization = new AuthenticationHeaderValue("Bearer", member.Token);
        Assert.Equal(HttpStatusCode.NoContent, (await app.Anonymous().SendAsync(withToken)).StatusCode);

        // The app's own page may.
        var own = await browser.SendAsync(Leave(circle.CircleId, app.BaseAddress.ToString().TrimEnd('/')));
        Assert.Equal(HttpStatusCode.NoContent, own.StatusCode);
        Assert.DoesNotContain(await member.MyCirclesAsync(), c => c.CircleId == circle.CircleId);
    }

    [Fact]
    public async Task A_foreign_page_cannot_open_a_Blazor_circuit_with_a_members_cookie()
    {
        var member = await app.RegisterAsync("cai");
        using var browser = await SignedInBrowserAsync(member);

        foreach (var (origin, expected) in new (string?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.OK), (app.BaseAddress.ToString().TrimEnd('/'), HttpStatusCode.OK),
                     (Foreign, HttpStatusCode.Forbidden), ("null", HttpStatusCode.Forbidden),
                 })
        {
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/_blazor/negotiate?negotiateVersion=1");
            if (origin is not null) negotiate.Headers.Add("Origin", origin);
            var response = await browser.SendAsync(negotiate);
            Assert.True(expected == response.StatusCode, $"negotiate from {origin ?? "no origin"}: {(int)response.StatusCode}");
        }

        // The WebSocket upgrade itself, which CORS never covers.
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", Foreign);
        socket.Options.CollectHttpResponseDetails = true;
        var uri = new UriBuilder(app.BaseAddress) { Scheme = "ws", Path = "/_blazor" }.Uri;
        await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(uri, TestContext.Current.CancellationToken));
        Assert.Equal(HttpStatusCode.Forbidden, socket.HttpStatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/account/login")]
    [InlineData("/api/circles")]
    [InlineData("/app.css")]
    [InlineData("/health")]
    [InlineData("/sw.js")]
    [InlineData("/manifest.webmanifest")]
    public async Task Every_answer_says_what_it_is_keeps_the_page_it_came_from_and_cannot_be_framed(string path)
    {
        using var anonymous = app.Anonymous();

        var response = await anonymous.GetAsync(path);

        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("same-origin", response.Headers.GetValues("Referrer-Policy").Single());
        Assert.Equal("frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single());
        Assert.False(response.Headers.Contains("Server"), $"{path} names its server: {string.Join(", ", response.Headers.Server)}");
    }

    private static HttpRequestMessage Leave(Guid circleId, string? origin)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"/api/circles/{circleId}/leave")
        {
            Content = new StringContent("", System.Text.Encoding.UTF8, "text/plain"),
        };
        if (origin is not null) request.Headers.Add("Origin", origin);
        return request;
    }

    /// <summary>A browser's cookie jar, signed in as <paramref name="person"/> (Identity's cookie sign-in).</summary>
    private async Task<HttpClient> SignedInBrowserAsync(TestUser person)
    {
        var browser = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false })
        {
            BaseAddress = app.BaseAddress,
        };
        var login = await browser.PostAsJsonAsync("/api/identity/login?useCookies=true", new { email = person.Email, password = GroupsAppFixture.Password });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
        return browser;
    }
}
