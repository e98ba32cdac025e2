using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Tests.Email;

/// <summary>
/// Email on without a public address would send stop links that stop nothing: such a deployment does not start, and
/// says which setting is missing.
/// </summary>
public sealed class EmailStartupTests
{
    private sealed class EmailWithout(string? publicUrl) : GroupsAppFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = publicUrl is null
            ? new Dictionary<string, string> { ["Email:Smtp:Host"] = "127.0.0.1" }
            : new Dictionary<string, string> { ["Email:Smtp:Host"] = "127.0.0.1", ["Email:PublicUrl"] = publicUrl };
    }

    [Theory]
    [InlineData(null)]
    [InlineData("circles.example.org")]
    [InlineData("ftp://circles.example.org")]
    public async Task Email_on_without_a_usable_public_address_refuses_to_start_and_names_the_setting(string? publicUrl)
    {
        await using var app = new EmailWithout(publicUrl);

        var refused = await Assert.ThrowsAsync<OptionsValidationException>(async () => await app.InitializeAsync());

        Assert.Contains("Email:PublicUrl must be where people reach the app", refused.Message);
    }

    [Fact]
    public async Task Email_on_with_a_public_address_starts()
    {
        await using var app = new EmailWithout("https://circles.example.org");
        await app.InitializeAsync();

        var health = await app.Anonymous().GetAsync("/health");

        Assert.True(health.IsSuccessStatusCode);
    }
}
