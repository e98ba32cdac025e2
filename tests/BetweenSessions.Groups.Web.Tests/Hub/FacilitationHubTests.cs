using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// Facilitation over the hub, with the same rules as the dashboard (one set of grain methods): facilitators only,
/// idempotent, live for everyone; removal and promotion take effect on open connections at once; an archived circle
/// refuses writes. tests/hub-client/facilitation.mjs.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class FacilitationHubTests(GroupsAppFixture app)
{
    [Fact]
    public async Task A_member_is_refused_every_facilitation_method()
    {
        var run = await RunAsync();

        Assert.Equal(13, run.Script.RefusedForMember.Count);
        foreach (var (method, attempt) in run.Script.RefusedForMember) Refused(attempt, "Only the circle's facilitators can do this.", method);
    }

    [Fact]
    public async Task The_circles_own_crisis_resources_come_back_with_a_support_request()
    {
        var run = await RunAsync();

        var resource = Assert.Single(run.Script.SupportResources);
        Assert.Equal("Circle night line", (string)resource["name"]!);
        Assert.Equal("0800 222 333", (string)resource["phone"]!);
        Assert.Equal("Any hour.", (string)resource["text"]!);
    }

    [Fact]
    public async Task A_rename_resent_with_its_client_event_id_is_stored_once_and_everyone_hears_it()
    {
        var run = await RunAsync();

        Assert.Equal(run.Script.Renamed[0].ToJsonString(), run.Script.Renamed[1].ToJsonString());
        Assert.Equal("Thursday evening circle", (string)run.Script.RenamedAtOther["name"]!);
        Assert.Equal("circle", (string)run.Script.RenamedAtOther["visibility"]!);
        Assert.Equal("Thursday evening circle", (await run.Member.CircleAsync(run.CircleId)).Name);
    }

    [Fact]
    public async Task A_schedule_resent_is_stored_once_every_member_hears_it_and_a_bad_one_is_refused_with_a_reason()
    {
        var run = await RunAsync();

        Assert.Equal(run.Script.Scheduled[0].ToJsonString(), run.Script.Scheduled[1].ToJsonString());
        Assert.Equal("circle", (string)run.Script.ScheduleAtMember["visibility"]!);
        Assert.Equal("Europe/Berlin", (string)run.Script.ScheduleAtMember["schedule"]!["timeZone"]!);
        Assert.False(run.Script.BadSchedule.Ok);
        Assert.Contains("time zone", run.Script.BadSchedule.Error);
        Assert.Equal("add", (string)run.Script.AddedAtMember["change"]!);
        Assert.Equal("2030-01-10T18:00", (string)run.Script.AddedAtMember["to"]!);
    }

    [Fact]
    public async Task A_new_invite_code_comes_back_to_the_facilitator_only_and_the_old_one_stops_working()
    {
        var run = await RunAsync();

        Assert.Matches("^[A-Z2-9]{8}$", run.Script.NewCode.InviteCode);
        Assert.False(run.Script.CodeChangedAtMember);
        Assert.DoesNotContain(run.Script.NewCode.InviteCode, run.Script.CodeChangedAtFacilitator!.ToJsonString());
        var late = await app.RegisterAsync("late");
        var old = await late.Http.PostAsJsonAsync("/api/circles/join", new { inviteCode = run.OldCode, displayName = "Late" });
        await old.ReadProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task A_new_co_facilitator_hears_facilitators_only_entries_on_the_connection_already_open()
    {
        var run = await RunAsync();

        Assert.Equal("facilitators", (string)run.Script.AtPromoted["visibility"]!);
        Assert.Equal("for the facilitators", (string)run.Script.AtPromoted["note"]!);
    }

    [Fact]
    public async Task The_person_who_asked_for_support_sees_it_acknowledged_and_nobody_else_does()
    {
        var run = await RunAsync();

        Assert.Equal("alert-acknowledged", run.Script.AckAtRequester.Type());
        Assert.Equal("facilitators", (string)run.Script.AckAtRequester["visibility"]!);
        Assert.Equal("support-requested", (string)run.Script.AckAtRequester["targetType"]!);
        Assert.False(run.Script.AckAtRemovedMember);
    }

    [Fact]
    public async Task A_removed_member_hears_it_then_nothing_more_and_every_way_in_refuses_them()
    {
        var run = await RunAsync();

        Assert.Equal("member-removed", run.Script.RemovedEvent.Type());
        Assert.Equal(0, run.Script.RemovedReceivedAfter);
        Refused(run.Script.RemovedJoin, "You are not a member of this circle.", "JoinCircle after removal");
        Refused(run.Script.RemovedCheckIn, "You are not a member of this circle.", "CheckIn after removal");
        var rest = await run.Other.Http.GetAsync($"/api/circles/{run.CircleId}/events");
        await rest.ReadProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task An_archived_circle_refuses_writes_from_everyone()
    {
        var run = await RunAsync();

        const string archived = "This circle is archived, so it is read-only now. You can still read it, and download what you wrote in Settings.";
        Refused(run.Script.ArchivedCheckIn, archived, "a member's check-in");
        Refused(run.Script.ArchivedRename, archived, "a facilitator's rename");
        Assert.NotEmpty((await run.Member.EventsAsync(run.CircleId)).Events);
    }

    [Fact]
    public async Task A_facilitator_reopens_an_archived_circle_everyone_hears_it_and_shares_again()
    {
        var run = await RunAsync();

        Assert.Equal("circle-reopened", run.Script.ReopenedAtFacilitator.Type());
        Refused(run.Script.ReopenAgain, "This circle is open already.", "reopening an open circle");
        Assert.True(run.Script.ReopenedCheckIn.Ok, run.Script.ReopenedCheckIn.Error);
    }

    private static Facilitation? _result;
    private static readonly SemaphoreSlim Once = new(1, 1);

    private async Task<Facilitation> RunAsync()
    {
        await Once.WaitAsync();
        try
        {
            return _result ??= await ScenarioAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<Facilitation> ScenarioAsync()
    {
        var (facilitator, member, other) = (await app.RegisterAsync("fay"), await app.RegisterAsync("gus"), await app.RegisterAsync("hal"));
        var circle = await facilitator.CircleWithMembersAsync(member, other);
        var script = await new HubScripts(app).RunAsync<FacilitationScript>("facilitation.mjs",
            People(("facilitator", facilitator), ("member", member), ("other", other)), circle.CircleId, member.Nickname, other.Nickname);
        return new Facilitation(circle.CircleId, circle.InviteCode!, member, other, script);
    }

    private sealed record CodeAck(Guid EventId, long Seq, string InviteCode);

    private sealed record FacilitationScript(
        Dictionary<string, Attempt<JsonObject>> RefusedForMember,
        List<JsonObject> SupportResources,
        List<JsonObject> Renamed,
        JsonObject RenamedAtOther,
        CodeAck NewCode,
        List<JsonObject> Scheduled,
        JsonObject ScheduleAtMember,
        Attempt<JsonObject> BadSchedule,
        JsonObject AddedAtMember,
        bool CodeChangedAtMember,
        JsonObject? CodeChangedAtFacilitator,
        JsonObject AtPromoted,
        JsonObject AckAtRequester,
        bool AckAtRemovedMember,
        JsonObject RemovedEvent,
        int RemovedReceivedAfter,
        Attempt<JsonObject> RemovedJoin,
        Attempt<JsonObject> RemovedCheckIn,
        Attempt<JsonObject> ArchivedCheckIn,
        Attempt<JsonObject> ArchivedRename,
        JsonObject ReopenedAtFacilitator,
        Attempt<JsonObject> ReopenAgain,
        Attempt<JsonObject> ReopenedCheckIn);

    private sealed record Facilitation(Guid CircleId, string OldCode, TestUser Member, TestUser Other, FacilitationScript Script);
}
