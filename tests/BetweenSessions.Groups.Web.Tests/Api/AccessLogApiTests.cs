using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Orleans;

namespace BetweenSessions.Groups.Web.Tests.Api;

/// <summary>GET /api/me/access-log and /api/circles/{id}/access-log: who opened or changed what, as the people read it.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class AccessLogApiTests(GroupsAppFixture app)
{
    private sealed record Line(long Id, DateTimeOffset At, string Action, string Text, string? ActorName, Guid? CircleId,
        string? CircleName, string? SubjectName, string? Detail);

    private ICircleGrain Circle(Guid circleId) => app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(circleId);

    private static async Task<string> MemberIdAsync(TestUser user, Guid circleId) =>
        (await user.CircleAsync(circleId)).Members.Single(m => m.DisplayName == user.Nickname).MemberId;

    private static Task<List<Line>> MineAsync(TestUser user) => user.Http.GetFromJsonAsync<List<Line>>("/api/me/access-log")!;

    private static Task<List<Line>> CircleLogAsync(TestUser user, Guid circleId) =>
        user.Http.GetFromJsonAsync<List<Line>>($"/api/circles/{circleId}/access-log")!;

    [Fact]
    public async Task A_member_reads_that_their_facilitator_opened_their_support_request_and_only_facilitators_read_the_circle_s_log()
    {
        var (rae, sam, ana) = (await app.RegisterAsync("rae"), await app.RegisterAsync("sam"), await app.RegisterAsync("ana"));
        var circle = await rae.CircleWithMembersAsync(sam, ana);
        await Circle(circle.CircleId).RequestSupportAsync(await MemberIdAsync(sam, circle.CircleId), new RequestSupportDraft(null, "a hard night"));
        Assert.Empty((await MineAsync(sam)).Where(l => l.CircleId == circle.CircleId));

        await rae.EventsAsync(circle.CircleId); // the facilitator's app or page loads the circle

        var opened = Assert.Single(await MineAsync(sam), l => l.CircleId == circle.CircleId);
        Assert.Equal(("rae opened your support request", "rae", circle.Name), (opened.Text, opened.ActorName, opened.CircleName));
        Assert.DoesNotContain("a hard night", opened.Detail ?? "");
        var inCircle = Assert.Single(await CircleLogAsync(rae, circle.CircleId));
        Assert.Equal("You opened sam’s support request", inCircle.Text);

        // Ana is in the circle but does not facilitate it: the circle's log is not hers, and nothing of Sam's is in hers.
        var refused = await ana.Http.GetAsync($"/api/circles/{circle.CircleId}/access-log");
        var problem = await refused.ReadProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal("Only the circle's facilitators can read its access log.", problem.Detail);
        Assert.DoesNotContain(await MineAsync(ana), l => l.CircleId == circle.CircleId);
        Assert.Equal(HttpStatusCode.Unauthorized, (await app.Anonymous().GetAsync("/api/me/access-log")).StatusCode);
    }

    [Fact]
    public async Task Role_changes_removals_and_new_invite_codes_are_in_the_circle_s_log_and_in_the_log_of_the_person_concerned()
    {
        var (rae, sam, ana) = (await app.RegisterAsync("rae"), await app.RegisterAsync("sam"), await app.RegisterAsync("ana"));
        var circle = await rae.CircleWithMembersAsync(sam, ana);
        var (raeId, samId, anaId) = (await MemberIdAsync(rae, circle.CircleId), await MemberIdAsync(sam, circle.CircleId), await MemberIdAsync(ana, circle.CircleId));
        var grain = Circle(circle.CircleId);

        await grain.AddCoFacilitatorAsync(raeId, new AddCoFacilitatorDraft(null, samId));
        await grain.RemoveMemberAsync(raeId, new RemoveMemberDraft(null, anaId));
        await grain.NewInviteCodeAsync(raeId, new NewInviteCodeDraft(null));

        Assert.Equal(
            ["You made a new invite code", "You removed ana from the circle", "You made sam a co-facilitator"],
            (await CircleLogAsync(rae, circle.CircleId)).Select(l => l.Text));
        // Sam, now a co-facilitator, reads the same log; Ana, removed, still reads what was done to her.
        Assert.Equal(3, (await CircleLogAsync(sam, circle.CircleId)).Count);
        Assert.Contains(await MineAsync(sam), l => l.Text == "rae made you a co-facilitator");
        Assert.Contains(await MineAsync(ana), l => l.Text == "rae removed you from the circle");
    }

    [Fact]
    public async Task A_person_sees_their_sign_ins_failed_attempts_on_their_account_and_their_downloads()
    {
        var kim = await app.RegisterAsync("kim"); // registered and signed in once, as an app would
        using var anonymous = app.Anonymous();
        await anonymous.PostAsJsonAsync("/api/identity/login", new { email = kim.Email, password = "not my password" });
        (await kim.Http.GetAsync("/api/me/export")).EnsureSuccessStatusCode();

        var mine = await MineAsync(kim);
        Assert.Equal(["You downloaded your data", "A sign-in to your account did not succeed", "You signed in"], mine.Select(l => l.Text));
        Assert.Equal("an app or script · 127.0.0.1", mine[^1].Detail);
        Assert.StartsWith("wrong password", mine[1].Detail);

        // The next download carries the log too: it is about them.
        var export = JsonNode.Parse(await kim.Http.GetStringAsync("/api/me/export"))!.AsObject();
        Assert.Contains(export["accessLog"]!.AsArray(), e => (string?)e!["action"] == AccessActions.SignedIn);
    }
}
