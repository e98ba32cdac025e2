using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>/hubs/circles driven by the npm SignalR client (scripts in tests/hub-client), as member apps use it.</summary>
[Collection(GroupsAppCollection.Name)]
public sealed class CircleHubTests(GroupsAppFixture app)
{
    private readonly HubScripts _scripts = new(app);

    [Fact]
    public async Task The_facilitator_sees_a_member_arrive_receives_their_check_in_live_and_sees_them_leave()
    {
        var (facilitator, member) = (await app.RegisterAsync("hana"), await app.RegisterAsync("milo"));
        var circle = await facilitator.CircleWithMembersAsync(member);

        var result = await _scripts.RunAsync<LiveCheckIn>("live-checkin.mjs", People(("facilitator", facilitator), ("member", member)), circle.CircleId);

        Assert.Equal(("facilitator", "member"), (result.FacilitatorJoin.Role, result.MemberJoin.Role));
        Assert.Equal(["hana", "milo"], result.FacilitatorJoin.Members.Select(m => m.DisplayName));
        Assert.Equal(["circle-created", "member-joined"], result.MemberJoin.Events.Select(e => e.Type));
        Assert.Equal(result.FacilitatorJoin.LastSeq + 1, result.Ack.Seq);
        Assert.Equal(circle.CircleId, result.Presence.CircleId);
        Assert.Equal(result.MemberJoin.Members.Select(m => m.MemberId).Order(), result.Presence.MemberIds.Order());

        var live = result.Live;
        Assert.Equal((circle.CircleId, result.Ack.Seq, result.Ack.EventId), (live.CircleId, live.Seq, live.EventId));
        Assert.Equal(("check-in", "milo", "circle"), (live.Type, live.DisplayName, live.Visibility));
        Assert.Equal(("low", "Long week, glad to be here."), (live.Capacity, live.Note));
        Assert.Equal(["tired", "hopeful"], live.Feelings ?? []);
        var milo = result.MemberJoin.Members.Single(m => m.DisplayName == "milo").MemberId;
        Assert.Equal(milo, live.MemberId);
        Assert.DoesNotContain(milo, result.AfterLeaving.MemberIds);
        Assert.Contains(result.FacilitatorJoin.Members.Single(m => m.Role == "facilitator").MemberId, result.AfterLeaving.MemberIds);
    }

    [Fact]
    public async Task Each_check_in_reaches_exactly_its_audience()
    {
        var (facilitator, author, other) = (await app.RegisterAsync("fern"), await app.RegisterAsync("ash"), await app.RegisterAsync("bo"));
        var circle = await facilitator.CircleWithMembersAsync(author, other);

        var result = await _scripts.RunAsync<Audiences>("audiences.mjs",
            People(("facilitator", facilitator), ("author", author), ("other", other)), circle.CircleId);

        Assert.Equal(["for facilitators", "for private", "for circle"], CheckInNotes(result.Received["author"]));
        Assert.Equal(["for facilitators", "for circle"], CheckInNotes(result.Received["facilitator"]));
        Assert.Equal(["for circle"], CheckInNotes(result.Received["other"]));
    }

    [Fact]
    public async Task Someone_outside_a_circle_is_refused_clearly_and_their_connection_stays_usable()
    {
        var (facilitator, outsider) = (await app.RegisterAsync("gus"), await app.RegisterAsync("ivy"));
        var foreign = await facilitator.CircleWithMembersAsync();
        var own = await outsider.CircleWithMembersAsync();
        var foreignBefore = await facilitator.CircleAsync(foreign.CircleId);

        var result = await _scripts.RunAsync<Outsider>("outsider.mjs", People(("outsider", outsider)), foreign.CircleId, own.CircleId);

        AssertRefused(result.ForeignJoin, "You are not a member of this circle.");
        AssertRefused(result.ForeignCheckIn, "You are not a member of this circle.");
        AssertRefused(result.UnknownJoin, "There is no such circle.");
        Assert.True(result.OwnJoin.Ok, result.OwnJoin.Error);
        Assert.True(result.OwnCheckIn.Ok, result.OwnCheckIn.Error);
        Assert.Equal(foreignBefore.LastSeq, (await facilitator.CircleAsync(foreign.CircleId)).LastSeq);
    }

    [Fact]
    public async Task Check_ins_that_break_the_rules_are_refused_clearly_store_nothing_and_the_connection_stays_usable()
    {
        var (facilitator, member) = (await app.RegisterAsync("lou"), await app.RegisterAsync("pia"));
        var circle = await facilitator.CircleWithMembersAsync(member);
        var before = (await member.CircleAsync(circle.CircleId)).LastSeq;

        var result = await _scripts.RunAsync<InvalidCheckIns>("invalid-checkins.mjs", People(("member", member)), circle.CircleId);

        AssertRefused(result.Rejected["noteTooLong"], "The note can be at most 1000 characters.");
        AssertRefused(result.Rejected["unknownCapacity"], "Capacity must be one of: resting, low, some, steady, open.");
        AssertRefused(result.Rejected["noCapacity"], "Capacity is required.");
        AssertRefused(result.Rejected["unknownVisibility"], "Visibility must be \"circle\", \"facilitators\" or \"private\".");
        AssertRefused(result.Rejected["tooManyFeelings"], "Choose at most 5 feeling words.");

        Assert.True(result.Accepted.Ok, result.Accepted.Error);
        Assert.Equal(before + 1, result.Accepted.Value!.Seq);
        Assert.Equal(result.Accepted.Value, result.Resent.Value); // the same check-in sent again is stored once
        var stored = await facilitator.EventsAsync(circle.CircleId, afterSeq: before);
        var only = Assert.Single(stored.Events);
        Assert.Equal(result.Accepted.Value.EventId.ToString(), (string)only["eventId"]!);
        Assert.Equal(1000, ((string)only["note"]!).Length);
    }

    [Fact]
    public async Task A_connection_without_a_valid_token_is_refused()
    {
        var result = await _scripts.RunAsync<Unauthenticated>("unauthenticated.mjs", People());

        foreach (var attempt in new[] { result.NoToken, result.ForgedToken, result.ForgedTokenInTheUrl, result.NoTokenLongPolling })
        {
            Assert.False(attempt.Ok);
            Assert.Contains("401", attempt.Error);
        }
        Assert.False(result.ForgedTokenSkippingNegotiation.Ok); // the WebSocket upgrade itself is refused (401 in ConnectingTests)
    }

    [Fact]
    public async Task Rejoining_after_a_gap_replays_exactly_the_missed_events_the_caller_may_see()
    {
        var (facilitator, member, other) = (await app.RegisterAsync("rosa"), await app.RegisterAsync("nils"), await app.RegisterAsync("tia"));
        var circle = await facilitator.CircleWithMembersAsync(member, other);

        var result = await _scripts.RunAsync<Replay>("replay.mjs",
            People(("facilitator", facilitator), ("member", member), ("other", other)), circle.CircleId);

        // What each may see, by the rule: their own entries, the circle's, and facilitators see facilitators-only ones.
        var memberMaySee = SeqsOf(result.CheckIns, c => c.By == "member" || c.Visibility == "circle");
        var facilitatorMaySee = SeqsOf(result.CheckIns, c => c.By == "facilitator" || c.Visibility != "private");
        Assert.Equal(memberMaySee, result.Member.Events.Select(e => e.Seq));
        Assert.Equal(facilitatorMaySee, result.Facilitator.Events.Select(e => e.Seq));
        Assert.All(result.Member.Events.Concat(result.Facilitator.Events), e => Assert.True(e.Seq > result.LeftAt));
        Assert.Equal(result.CheckIns[^1].Seq, result.Member.LastSeq);
        Assert.False(result.Member.HasMore);
        Assert.Empty(result.CaughtUp.Events);

        // The REST log applies the same rule.
        var rest = await member.EventsAsync(circle.CircleId, afterSeq: result.LeftAt);
        Assert.Equal(memberMaySee, rest.Events.Select(e => (long)e["seq"]!));
    }

    private static Dictionary<string, TestUser> People(params (string Name, TestUser User)[] people) =>
        people.ToDictionary(p => p.Name, p => p.User);

    private static void AssertRefused<T>(Attempt<T> attempt, string message)
    {
        Assert.False(attempt.Ok, $"Expected a refusal with \"{message}\", but the call succeeded.");
        Assert.Contains(message, attempt.Error);
    }

    private static List<string?> CheckInNotes(IEnumerable<EventSummary> events) =>
        events.Where(e => e.Type == "check-in").Select(e => e.Note).ToList();

    private static List<long> SeqsOf(IEnumerable<ReplayCheckIn> checkIns, Func<ReplayCheckIn, bool> visible) =>
        checkIns.Where(visible).Select(c => c.Seq).ToList();

    private sealed record LiveCheckIn(
        HubJoin FacilitatorJoin, HubJoin MemberJoin, PresenceMessage Presence, Ack Ack, HubEvent Live, PresenceMessage AfterLeaving);

    private sealed record Audiences(Dictionary<string, Ack> Acks, Dictionary<string, List<EventSummary>> Received);

    private sealed record Outsider(
        Attempt<HubJoin> ForeignJoin, Attempt<Ack> ForeignCheckIn, Attempt<HubJoin> UnknownJoin,
        Attempt<HubJoin> OwnJoin, Attempt<Ack> OwnCheckIn);

    private sealed record InvalidCheckIns(Dictionary<string, Attempt<Ack>> Rejected, Attempt<Ack> Accepted, Attempt<Ack> Resent);

    private sealed record Unauthenticated(
        Attempt<object> NoToken, Attempt<object> ForgedToken, Attempt<object> ForgedTokenInTheUrl,
        Attempt<object> ForgedTokenSkippingNegotiation, Attempt<object> NoTokenLongPolling);

    private sealed record ReplayCheckIn(string By, string Visibility, long Seq);

    private sealed record ReplayedJoin(long LastSeq, bool HasMore, List<EventSummary> Events);

    private sealed record Replay(long LeftAt, List<ReplayCheckIn> CheckIns, ReplayedJoin Member, ReplayedJoin Facilitator, ReplayedJoin CaughtUp);
}
