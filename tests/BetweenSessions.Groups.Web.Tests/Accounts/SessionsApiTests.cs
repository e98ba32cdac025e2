using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace BetweenSessions.Groups.Web.Tests.Accounts;

/// <summary>Ending sessions and accounts over the API: sign out everywhere, a facilitator's reset link, delete my account.</summary>
[Collection(SessionsAppFixture.Collection)]
public sealed class SessionsApiTests(SessionsAppFixture app)
{
    private sealed record Tokens(string AccessToken, string RefreshToken);

    private sealed record LogLine(string Action, string Text);

    private ICircleGrain Circle(Guid circleId) => app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(circleId);

    private static async Task<string> MemberIdAsync(TestUser user, Guid circleId) =>
        (await user.CircleAsync(circleId)).Members.Single(m => m.DisplayName == user.Nickname).MemberId;

    private HttpClient Bearer(string token)
    {
        var http = app.Anonymous();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private async Task<Tokens> LogInAsync(string email, string password = GroupsAppFixture.Password)
    {
        using var http = app.Anonymous();
        var login = await http.PostAsJsonAsync("/api/identity/login", new { email, password });
        login.EnsureSuccessStatusCode();
        return (await login.Content.ReadFromJsonAsync<Tokens>())!;
    }

    [Fact]
    public async Task Sign_out_everywhere_ends_every_token_the_refresh_token_and_an_open_hub_connection()
    {
        var lee = await app.RegisterAsync("lee");
        var circle = await lee.CreateCircleAsync("Monday circle");
        var onPhone = await LogInAsync(lee.Email);
        await using var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/circles"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(onPhone.AccessToken))
            .Build();
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.Closed += _ => { closed.TrySetResult(); return Task.CompletedTask; };
        await hub.StartAsync(TestContext.Current.CancellationToken);
        await hub.InvokeAsync<JsonObject>("JoinCircle", circle.CircleId, 0L, TestContext.Current.CancellationToken);

        var signedOut = await lee.Http.PostAsync("/api/me/sign-out-everywhere", null, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, signedOut.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await lee.Http.GetAsync("/api/circles", TestContext.Current.CancellationToken)).StatusCode);
        using (var phone = Bearer(onPhone.AccessToken))
            Assert.Equal(HttpStatusCode.Unauthorized, (await phone.GetAsync("/api/circles", TestContext.Current.CancellationToken)).StatusCode);
        using (var anonymous = app.Anonymous())
        {
            var refreshed = await anonymous.PostAsJsonAsync("/api/identity/refresh", new { refreshToken = onPhone.RefreshToken },
                TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, refreshed.StatusCode);
        }
        // The connection was only listening: it is closed by the session check, not by a call of its own.
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        // Signing in again works, and the account's log says what happened.
        using var again = Bearer((await LogInAsync(lee.Email)).AccessToken);
        var log = await again.GetFromJsonAsync<List<LogLine>>("/api/me/access-log", TestContext.Current.CancellationToken);
        Assert.Contains(log!, l => l.Text == "You signed out everywhere");
    }

    [Fact]
    public async Task A_facilitator_makes_a_reset_link_for_a_member_of_their_circle_only_and_the_member_reads_that_they_did()
    {
        var (rae, sam, ana, outsider) = (await app.RegisterAsync("rae"), await app.RegisterAsync("sam"), await app.RegisterAsync("ana"),
            await app.RegisterAsync("oli"));
        var circle = await rae.CircleWithMembersAsync(sam, ana);
        var (raeId, samId, anaId) = (await MemberIdAsync(rae, circle.CircleId), await MemberIdAsync(sam, circle.CircleId), await MemberIdAsync(ana, circle.CircleId));
        string Path(string memberId) => $"/api/circles/{circle.CircleId}/members/{memberId}/reset-link";

        // A member cannot make one for another member, nor can someone outside the circle.
        var byMember = await ana.Http.PostAsync(Path(samId), null, TestContext.Current.CancellationToken);
        Assert.Equal("Only the circle's facilitators can make a reset link.", (await byMember.ReadProblemAsync(HttpStatusCode.Forbidden)).Detail);
        Assert.Equal(HttpStatusCode.Forbidden, (await outsider.Http.PostAsync(Path(samId), null, TestContext.Current.CancellationToken)).StatusCode);

        // Not for a co-facilitator: a link for them would hand over the running of the circle.
        await Circle(circle.CircleId).AddCoFacilitatorAsync(raeId, new AddCoFacilitatorDraft(null, anaId));
        Assert.Equal(HttpStatusCode.Forbidden, (await rae.Http.PostAsync(Path(anaId), null, TestContext.Current.CancellationToken)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await rae.Http.PostAsync(Path("nobody"), null, TestContext.Current.CancellationToken)).StatusCode);

        var made = await rae.Http.PostAsync(Path(samId), null, TestContext.Current.CancellationToken);
        made.EnsureSuccessStatusCode();
        var link = (await made.Content.ReadFromJsonAsync<JsonObject>(TestContext.Current.CancellationToken))!;
        Assert.StartsWith($"{app.BaseAddress}account/reset-password?userId={samId}&code=", (string)link["url"]!);

        var samsLog = await sam.Http.GetFromJsonAsync<List<LogLine>>("/api/me/access-log", TestContext.Current.CancellationToken);
        Assert.Contains(samsLog!, l => l.Text == "rae made a one-time password reset link for you");
    }

    [Fact]
    public async Task Deleting_an_account_asks_for_the_password_keeps_a_circle_run_and_then_leaves_nothing_of_the_person_s_words()
    {
        var (rae, sam, ana) = (await app.RegisterAsync("rae"), await app.RegisterAsync("sam"), await app.RegisterAsync("ana"));
        var circle = await rae.CircleWithMembersAsync(sam, ana);
        var samId = await MemberIdAsync(sam, circle.CircleId);
        await Circle(circle.CircleId).CheckInAsync(samId, new CheckInDraft(null, Capacity.Some, null, "sam's own words", "circle"));

        var asRae = await rae.Http.PostAsJsonAsync("/api/me/account/delete", new { password = GroupsAppFixture.Password }, TestContext.Current.CancellationToken);
        var refused = await asRae.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("You are the only facilitator of “" + circle.Name + "”", refused.Errors!["circle"].Single());
        var wrong = await sam.Http.PostAsJsonAsync("/api/me/account/delete", new { password = "not it" }, TestContext.Current.CancellationToken);
        Assert.Equal("That is not your password. Nothing has been deleted.", (await wrong.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors!["password"].Single());
        Assert.Equal(3, (await rae.CircleAsync(circle.CircleId)).Members.Count);

        var deleted = await sam.Http.PostAsJsonAsync("/api/me/account/delete", new { password = GroupsAppFixture.Password }, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await sam.Http.GetAsync("/api/circles", TestContext.Current.CancellationToken)).StatusCode);
        using (var anonymous = app.Anonymous())
        {
            var login = await anonymous.PostAsJsonAsync("/api/identity/login", new { email = sam.Email, password = GroupsAppFixture.Password },
                TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
        }
        Assert.DoesNotContain((await rae.CircleAsync(circle.CircleId)).Members, m => m.MemberId == samId);
        var events = (await rae.EventsAsync(circle.CircleId)).Events;
        Assert.DoesNotContain(events, e => e.ToJsonString().Contains("sam's own words") || (string?)e["displayName"] == "sam");
        Assert.Contains(events, e => (string?)e["type"] == EventTypes.Removed);

        using var scope = app.Services.CreateScope();
        Assert.Null(await scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>().FindByIdAsync(samId));
        // The security record stays: the deletion is in the access log, which nobody can change.
        var kept = await scope.ServiceProvider.GetRequiredService<IAccessLog>().ReadAboutAsync(samId, null, 50, ct: TestContext.Current.CancellationToken);
        Assert.Contains(kept, e => e.Action == AccessActions.DeletedAccount);
    }
}
