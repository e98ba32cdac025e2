using System.Net;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Orleans;
using BetweenSessions.Groups.Web.Tests.Hub;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Api;

/// <summary>GET /api/me/export, DELETE /api/me/entries and POST /api/circles/{id}/leave.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class MyDataApiTests(GroupsAppFixture app)
{
    private ICircleGrain Circle(Guid circleId) => app.Services.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(circleId);

    private static async Task<string> MemberIdAsync(TestUser user, Guid circleId) =>
        (await user.CircleAsync(circleId)).Members.Single(m => m.DisplayName == user.Nickname).MemberId;

    /// <summary>A check-in written the way the hub writes it, through the circle's grain.</summary>
    private async Task CheckInAsync(TestUser user, Guid circleId, string note, string visibility = "circle", string? clientEventId = null) =>
        await Circle(circleId).CheckInAsync(await MemberIdAsync(user, circleId), new CheckInDraft(clientEventId, Capacity.Some, null, note, visibility));

    private static async Task<JsonObject> ExportAsync(TestUser user)
    {
        var response = await user.Http.GetAsync("/api/me/export");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
    }

    [Fact]
    public async Task The_export_holds_the_account_and_only_the_member_s_own_entries()
    {
        var facilitator = await app.RegisterAsync("noor");
        var member = await app.RegisterAsync("kai");
        var circle = await facilitator.CircleWithMembersAsync(member);
        await CheckInAsync(member, circle.CircleId, "kai's own words", "private");
        await CheckInAsync(facilitator, circle.CircleId, "noor's words");
        var kai = await MemberIdAsync(member, circle.CircleId);
        await Circle(circle.CircleId).MakeCommitmentAsync(kai,
            new MakeCommitmentDraft(null, "Stretch", "after brushing my teeth", null, "private", "07:30", RemindMe: true));

        var export = await ExportAsync(member);

        Assert.Equal(member.Email, (string?)export["account"]!["email"]);
        Assert.NotNull(export["settings"]!["timeZoneId"]);
        var circles = export["circles"]!.AsArray();
        var entries = Assert.Single(circles)!["entries"]!.AsArray();
        Assert.Equal(["member-joined", "check-in", "commitment-made"], entries.Select(e => (string)e!["type"]!));
        Assert.Equal("kai's own words", (string?)entries[1]!["payload"]!["note"]);
        // The reminder they asked for is theirs to take along: the commitment it is for, by its id.
        Assert.Equal("07:30", (string?)entries[2]!["payload"]!["cueTime"]);
        Assert.Equal([(string?)entries[2]!["payload"]!["commitmentId"]], export["cueReminders"]!.AsArray().Select(id => (string?)id));
        Assert.Equal("private", (string?)entries[1]!["visibility"]);
        Assert.DoesNotContain("noor's words", export.ToJsonString());
    }

    [Fact]
    public async Task Without_signing_in_there_is_no_export_and_nothing_to_erase()
    {
        using var anonymous = app.Anonymous();

        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/me/export")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.DeleteAsync("/api/me/entries")).StatusCode);
    }

    [Fact]
    public async Task Erased_entries_show_nothing_of_their_content_to_others_and_the_log_keeps_its_order()
    {
        var facilitator = await app.RegisterAsync("rosa");
        var member = await app.RegisterAsync("eli");
        var circle = await facilitator.CircleWithMembersAsync(member);
        await CheckInAsync(member, circle.CircleId, "something tender", clientEventId: "eli-1");
        await CheckInAsync(facilitator, circle.CircleId, "rosa stays");

        var response = await member.Http.DeleteAsync("/api/me/entries");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var log = await facilitator.EventsAsync(circle.CircleId);
        Assert.Equal([1L, 2L, 3L, 4L], log.Events.Select(e => (long)e["seq"]!));
        Assert.DoesNotContain("something tender", string.Join("", log.Events.Select(e => e.ToJsonString())));
        Assert.All(log.Events.Where(e => (string)e["type"]! == "removed"), e => Assert.Equal("Someone", (string?)e["displayName"]));
        Assert.Equal(["circle-created", "removed", "removed", "check-in"], log.Events.Select(e => (string)e["type"]!));
        Assert.Contains("rosa stays", log.Events[3].ToJsonString());
        // A resend of the erased entry still gets its original receipt.
        var resent = await Circle(circle.CircleId).CheckInAsync(await MemberIdAsync(member, circle.CircleId),
            new CheckInDraft("eli-1", Capacity.Some, null, "something tender", "circle"));
        Assert.Equal(3, resent.Seq);
    }

    [Fact]
    public async Task After_an_erase_no_other_member_s_view_or_export_holds_the_erased_commitment_s_text_and_a_repeat_changes_nothing()
    {
        var facilitator = await app.RegisterAsync("tess");
        var author = await app.RegisterAsync("umar");
        var other = await app.RegisterAsync("vera");
        var circle = await facilitator.CircleWithMembersAsync(author, other);
        var grain = Circle(circle.CircleId);
        var (authorId, otherId) = (await MemberIdAsync(author, circle.CircleId), await MemberIdAsync(other, circle.CircleId));
        var made = await grain.MakeCommitmentAsync(authorId, new MakeCommitmentDraft(null, "Walk at dusk", "After dinner", null, "circle"));
        var commitmentId = (await facilitator.EventsAsync(circle.CircleId)).Events.Single(e => (long)e["seq"]! == made.Seq).Guid("commitmentId");
        await grain.JoinCommitmentAsync(otherId, new JoinCommitmentDraft(null, commitmentId));
        await grain.LogPracticeAsync(otherId, new LogPracticeDraft(null, commitmentId, PracticeOutcomes.Rested, "rested well enough"));
        Assert.Contains("Walk at dusk", (await ExportAsync(other)).ToJsonString());

        Assert.Equal(HttpStatusCode.NoContent, (await author.Http.DeleteAsync("/api/me/entries")).StatusCode);

        foreach (var viewer in new[] { facilitator, other })
        {
            var log = string.Join("\n", (await viewer.EventsAsync(circle.CircleId)).Events.Select(e => e.ToJsonString()));
            Assert.DoesNotContain("Walk at dusk", log);
            Assert.DoesNotContain("After dinner", log);
            Assert.DoesNotContain(authorId, log);
            Assert.Contains("a commitment that was removed", log);
            Assert.Contains("rested well enough", log);
        }
        var othersExport = (await ExportAsync(other)).ToJsonString();
        Assert.DoesNotContain("Walk at dusk", othersExport);
        Assert.Contains("rested well enough", othersExport);
        Assert.Empty((await ExportAsync(author))["circles"]!.AsArray());

        var before = (await facilitator.EventsAsync(circle.CircleId)).Events.Select(e => e.ToJsonString()).ToList();
        Assert.Equal(HttpStatusCode.NoContent, (await author.Http.DeleteAsync("/api/me/entries")).StatusCode);
        Assert.Equal(before, (await facilitator.EventsAsync(circle.CircleId)).Events.Select(e => e.ToJsonString()));
    }

    [Fact]
    public async Task A_member_who_leaves_no_longer_has_the_circle_and_the_only_facilitator_is_told_why_they_stay()
    {
        var facilitator = await app.RegisterAsync("ada");
        var member = await app.RegisterAsync("bo");
        var staying = await app.RegisterAsync("cy");
        var circle = await facilitator.CircleWithMembersAsync(member, staying);

        var left = await member.Http.PostAsync($"/api/circles/{circle.CircleId}/leave", null);

        Assert.Equal(HttpStatusCode.NoContent, left.StatusCode);
        Assert.Empty(await member.MyCirclesAsync());
        Assert.Equal(HttpStatusCode.Forbidden, (await member.Http.GetAsync($"/api/circles/{circle.CircleId}/events")).StatusCode);
        Assert.Equal("member-left", (string)(await facilitator.EventsAsync(circle.CircleId)).Events[^1]["type"]!);

        var refused = await facilitator.Http.PostAsync($"/api/circles/{circle.CircleId}/leave", null);
        var problem = await refused.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains(problem.Errors!.Values.SelectMany(v => v), m => m.Contains("only facilitator"));
    }
}
