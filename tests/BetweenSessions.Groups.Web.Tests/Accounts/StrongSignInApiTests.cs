using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace BetweenSessions.Groups.Web.Tests.Accounts;

/// <summary>
/// Authenticator codes through the Identity API (bearer tokens), and the facilitator rule over REST and the hub: a
/// facilitator whose token came from a password alone is refused what facilitators do, with words that say what to
/// do; one whose token came with a code is not, also after a refresh; members never notice.
/// </summary>
[Collection(StrongSignInAppFixture.Collection)]
public sealed class StrongSignInApiTests(StrongSignInAppFixture app)
{
    private const string Refusal =
        "To keep what members share safe, facilitators on this server sign in with a second step: a code from an " +
        "authenticator app, or a passkey. Set one up under Settings, Sign-in security, then sign in again with it.";

    [Fact]
    public async Task A_bearer_login_for_an_account_with_an_authenticator_needs_its_code_or_a_recovery_code_and_each_recovery_code_works_once()
    {
        var rae = await app.RegisterAsync("rae");
        var authenticator = await app.TurnOnAuthenticatorAsync(rae);
        Assert.Equal(10, authenticator.RecoveryCodes.Count);

        var passwordOnly = await app.LoginAsync(rae.Email);
        Assert.Equal(HttpStatusCode.Unauthorized, passwordOnly.StatusCode);
        Assert.Equal("RequiresTwoFactor", (string?)(await passwordOnly.Content.ReadFromJsonAsync<JsonObject>())!["detail"]);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.LoginAsync(rae.Email, twoFactorCode: Totp.Wrong(authenticator.SharedKey))).StatusCode);

        var withCode = await app.LoginAsync(rae.Email, twoFactorCode: Totp.Now(authenticator.SharedKey));
        Assert.Equal(HttpStatusCode.OK, withCode.StatusCode);
        var fromCode = await rae.WithTokenFromAsync(withCode);
        Assert.Equal(HttpStatusCode.OK, (await fromCode.Http.GetAsync("/api/circles")).StatusCode);

        var recovery = authenticator.RecoveryCodes[3];
        Assert.Equal(HttpStatusCode.OK, (await app.LoginAsync(rae.Email, twoFactorRecoveryCode: recovery)).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.LoginAsync(rae.Email, twoFactorRecoveryCode: recovery)).StatusCode);

        // Each way in is in her access log, and no code is.
        var log = await fromCode.Http.GetFromJsonAsync<JsonArray>("/api/me/access-log");
        var details = log!.Select(e => (string?)e!["detail"] ?? "").ToList();
        Assert.Contains(details, d => d.StartsWith("with an authenticator code · "));
        Assert.Contains(details, d => d.StartsWith("with a recovery code · "));
        Assert.Contains(details, d => d.StartsWith("wrong authenticator code · "));
        Assert.DoesNotContain(details, d => d.Contains(recovery) || d.Contains(authenticator.SharedKey));
    }

    [Fact]
    public async Task A_facilitator_signed_in_with_a_password_only_is_refused_over_rest_and_the_hub_while_members_go_on_as_before()
    {
        // Lead signs in with a code; Co becomes a co-facilitator but signed in with a password; Sam is a member.
        var lead = await app.RegisterAsync("lead");
        var refused = await lead.Http.PostAsJsonAsync("/api/circles", new { name = "Thursday circle" });
        var problem = await refused.ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Refusal, problem.Detail);
        // Turning the authenticator on changes the account's security stamp, which ends that password-only session.
        var leadAuthenticator = await app.TurnOnAuthenticatorAsync(lead);

        var strongLead = await lead.WithTokenFromAsync(await app.LoginAsync(lead.Email, twoFactorCode: Totp.Now(leadAuthenticator.SharedKey)));
        var (co, sam) = (await app.RegisterAsync("co"), await app.RegisterAsync("sam"));
        var circle = await strongLead.CircleWithMembersAsync(co, sam);
        var coId = (await strongLead.CircleAsync(circle.CircleId)).Members.Single(m => m.DisplayName == "co").MemberId;

        await using var leadHub = await ConnectAsync(strongLead, circle.CircleId);
        await leadHub.InvokeAsync<JsonObject>("AddCoFacilitator", circle.CircleId.ToString(), new { clientEventId = "promote-co", memberId = coId });
        await leadHub.InvokeAsync<JsonObject>("RenameCircle", circle.CircleId.ToString(), new { clientEventId = "rename-1", name = "Thursday evening circle" });

        await using var coHub = await ConnectAsync(co, circle.CircleId);
        foreach (var (method, body) in new (string, object)[]
                 {
                     ("StartRound", new { clientEventId = "co-round", prompt = "One word for your week" }),
                     ("RenameCircle", new { clientEventId = "co-rename", name = "Co's circle" }),
                     ("NewInviteCode", new { clientEventId = "co-code" }),
                 })
        {
            var error = await Assert.ThrowsAsync<HubException>(() => coHub.InvokeAsync<JsonObject>(method, circle.CircleId.ToString(), body));
            Assert.EndsWith($"HubException: {Refusal}", error.Message);
        }
        await (await co.Http.PostAsJsonAsync("/api/circles", new { name = "Co's own circle" })).ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(Refusal, (await (await co.Http.GetAsync($"/api/circles/{circle.CircleId}/access-log")).ReadProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.Equal(HttpStatusCode.OK, (await strongLead.Http.GetAsync($"/api/circles/{circle.CircleId}/access-log")).StatusCode);
        // What members do, a facilitator does too, whatever the sign-in.
        await coHub.InvokeAsync<JsonObject>("CheckIn", circle.CircleId.ToString(), CheckIn("co-checkin"));
        Assert.Equal("Thursday evening circle", (await co.CircleAsync(circle.CircleId)).Name);

        // Sam, a member who signed in with a password, is told what he always was, and checks in as ever.
        await using var samHub = await ConnectAsync(sam, circle.CircleId);
        var samRefused = await Assert.ThrowsAsync<HubException>(() =>
            samHub.InvokeAsync<JsonObject>("StartRound", circle.CircleId.ToString(), new { clientEventId = "sam-round", prompt = "Hi" }));
        Assert.EndsWith("HubException: Only the circle's facilitators can do this.", samRefused.Message);
        await samHub.InvokeAsync<JsonObject>("CheckIn", circle.CircleId.ToString(), CheckIn("sam-checkin"));
        var other = await strongLead.CreateCircleAsync("Lead's second circle");
        Assert.Equal(HttpStatusCode.OK, (await sam.Http.PostAsJsonAsync("/api/circles/join", new { inviteCode = other.InviteCode, displayName = "Sam" })).StatusCode);

        // Lead, with a code, runs the round.
        var round = await leadHub.InvokeAsync<JsonObject>("StartRound", circle.CircleId.ToString(), new { clientEventId = "lead-round", prompt = "One word for your week" });
        Assert.True((long)round["seq"]! > 0);
    }

    [Fact]
    public async Task A_token_from_a_sign_in_with_a_code_still_says_so_after_a_refresh_and_one_from_a_password_still_does_not()
    {
        var ana = await app.RegisterAsync("ana");
        var authenticator = await app.TurnOnAuthenticatorAsync(ana);
        var login = await app.LoginAsync(ana.Email, twoFactorCode: Totp.Now(authenticator.SharedKey));
        var refreshToken = (string)(await login.Content.ReadFromJsonAsync<JsonObject>())!["refreshToken"]!;
        var refreshed = await app.Anonymous().PostAsJsonAsync("/api/identity/refresh", new { refreshToken });
        var fromRefresh = await ana.WithTokenFromAsync(refreshed);
        Assert.NotEqual(ana.Token, fromRefresh.Token);
        await fromRefresh.CreateCircleAsync("After a refresh");

        var ben = await app.RegisterAsync("ben");
        var benLogin = await app.LoginAsync(ben.Email);
        var benRefresh = (string)(await benLogin.Content.ReadFromJsonAsync<JsonObject>())!["refreshToken"]!;
        var benRefreshed = await ben.WithTokenFromAsync(await app.Anonymous().PostAsJsonAsync("/api/identity/refresh", new { refreshToken = benRefresh }));
        await (await benRefreshed.Http.PostAsJsonAsync("/api/circles", new { name = "Ben's circle" })).ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    private static object CheckIn(string clientEventId) =>
        new { clientEventId, capacity = "some", feelings = Array.Empty<string>(), note = "steady enough", visibility = "circle" };

    private async Task<HubConnection> ConnectAsync(TestUser user, Guid circleId)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/circles"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token))
            .Build();
        await hub.StartAsync();
        await hub.InvokeAsync<JsonObject>("JoinCircle", circleId.ToString(), 0);
        return hub;
    }
}
