using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>An authenticator app for an account, set up and used through the Identity API, as an app would.</summary>
public static class TwoFactorClient
{
    public sealed record Authenticator(string SharedKey, IReadOnlyList<string> RecoveryCodes);

    /// <summary>
    /// Turns on an authenticator app for <paramref name="user"/> as the sign-in security page does, through the app's
    /// own UserManager: the Identity API's manage/2fa endpoint takes the sign-in cookie only, not a bearer token.
    /// </summary>
    public static async Task<Authenticator> TurnOnAuthenticatorAsync(this GroupsAppFixture app, TestUser user)
    {
        await using var scope = app.Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>();
        var account = await users.FindByEmailAsync(user.Email) ?? throw new InvalidOperationException($"No account {user.Email}.");
        await users.ResetAuthenticatorKeyAsync(account);
        var key = (await users.GetAuthenticatorKeyAsync(account))!;
        Assert.True(await users.VerifyTwoFactorTokenAsync(account, users.Options.Tokens.AuthenticatorTokenProvider, Totp.Now(key)),
            "The test's codes must be what an authenticator app shows.");
        await users.SetTwoFactorEnabledAsync(account, true);
        var codes = (await users.GenerateNewTwoFactorRecoveryCodesAsync(account, 10))!.ToList();
        return new Authenticator(key, codes);
    }

    /// <summary>A bearer sign-in through the Identity API, with a second step when one is given.</summary>
    public static Task<HttpResponseMessage> LoginAsync(this GroupsAppFixture app, string email, string? twoFactorCode = null,
        string? twoFactorRecoveryCode = null) =>
        app.Anonymous().PostAsJsonAsync("/api/identity/login",
            new { email, password = GroupsAppFixture.Password, twoFactorCode, twoFactorRecoveryCode });

    /// <summary>The same person with the tokens of a sign-in that succeeded.</summary>
    public static async Task<TestUser> WithTokenFromAsync(this TestUser user, HttpResponseMessage login)
    {
        await EnsureAsync(login);
        var token = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["accessToken"]!;
        return user.WithToken(token);
    }

    public static TestUser WithToken(this TestUser user, string token)
    {
        var http = new HttpClient { BaseAddress = user.Http.BaseAddress, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return user with { Token = token, Http = http };
    }

    private static async Task EnsureAsync(HttpResponseMessage response)
    {
        if (!response.IsSuccessStatusCode)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: " +
                        $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
    }
}
