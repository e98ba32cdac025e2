using System.Net;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Api;

[Collection(GroupsAppCollection.Name)]
public sealed class PagesAndHealthTests(GroupsAppFixture app)
{
    [Theory]
    [InlineData("/circles")]
    [InlineData("/circles/8a6b2a52-7a64-4d1e-9f0c-2f7d3c1a9b10")]
    public async Task A_signed_out_visitor_is_sent_to_sign_in_and_back(string page)
    {
        using var browserLike = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = app.BaseAddress };

        var response = await browserLike.GetAsync(page);

        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var location = response.Headers.Location!.ToString();
        Assert.Contains("/account/login", location);
        Assert.Contains(Uri.EscapeDataString(page), location);
    }

    [Fact]
    public async Task The_sign_in_and_register_pages_render_their_forms()
    {
        using var anonymous = app.Anonymous();

        var register = await anonymous.GetStringAsync("/account/register");
        var login = await anonymous.GetStringAsync("/account/login");

        foreach (var id in new[] { "displayName", "email", "password" }) Assert.Contains($"id=\"{id}\"", register);
        foreach (var id in new[] { "email", "password" }) Assert.Contains($"id=\"{id}\"", login);
    }

    [Fact]
    public async Task Health_reports_healthy_with_the_database_reachable()
    {
        using var anonymous = app.Anonymous();

        Assert.Equal("Healthy", await anonymous.GetStringAsync("/health"));
    }
}
