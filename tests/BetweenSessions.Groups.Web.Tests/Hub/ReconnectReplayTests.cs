using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// A member's network drops: a proxy between their client and the app destroys the socket while others keep writing
/// in every audience. Their client reconnects by itself and catches up as docs/realtime-api.md says (JoinCircle with
/// the last seq it saw, again while hasMore). Replay and live pushes together must give exactly the missed entries
/// they may see: no gap, nothing twice within a replay, nothing that is not theirs. tests/hub-client/forced-disconnect.mjs.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class ReconnectReplayTests(GroupsAppFixture app)
{
    /// <summary>What the member may see of each write in the scenario: the rule, spelled out per entry.</summary>
    private static readonly Dictionary<string, bool> MemberMaySee = new()
    {
        ["check-in circle"] = true,
        ["check-in private"] = false,
        ["win facilitators"] = false,
        ["win circle"] = true,
        ["check-in facilitators"] = false,
        ["acknowledged the member (facilitators, subject)"] = true,
        ["round started"] = true,
        ["round answered"] = true,
        ["round ended"] = true,
        ["support requested"] = false,
        ["bulk check-in circle"] = true,
        ["bulk check-in private"] = false,
    };

    [Fact]
    public async Task After_a_dropped_connection_the_client_gets_exactly_the_missed_entries_it_may_see_with_no_gap()
    {
        var (run, member, circleId) = await RunAsync(bulk: 0);

        Assert.True(run.ReconnectedWithNewConnection, "The client did not reconnect with a new connection.");
        Assert.True(run.MemberLeftPresence, "The server did not notice the dropped socket.");
        Assert.True(run.MemberBackInPresence, "The member did not come back into presence after rejoining.");
        var page = Assert.Single(run.Pages);
        Assert.Equal((run.CutAt, false), (page.AfterSeq, page.HasMore));

        AssertNoGap(run);
        // Everything missed while away came with the replay, not by luck of timing.
        var missed = VisibleSeqs(run, "missed");
        Assert.Equal(missed, run.Replayed.Select(e => e.Seq).Where(missed.Contains));
        Assert.Contains(run.Replayed, e => e.Type == "acknowledged" && e.Visibility == "facilitators"); // as its subject

        var rest = await member.EventsAsync(circleId, afterSeq: run.CutAt);
        Assert.Equal(ExpectedSeqs(run), rest.Events.Select(e => e.Seq()));
    }

    [Fact]
    public async Task Missing_more_than_a_page_is_caught_up_page_by_page_while_hasMore()
    {
        var (run, _, _) = await RunAsync(bulk: 130);

        Assert.True(run.Pages.Count >= 2, $"Expected more than one page, got {run.Pages.Count}.");
        Assert.Equal(100, run.Pages[0].Count);
        Assert.All(run.Pages.SkipLast(1), p => Assert.True(p.HasMore));
        Assert.False(run.Pages[^1].HasMore);
        for (var i = 1; i < run.Pages.Count; i++)
            Assert.Equal(run.Replayed.Take(run.Pages.Take(i).Sum(p => p.Count)).Last().Seq, run.Pages[i].AfterSeq); // asked again from the last seq got

        AssertNoGap(run);
        Assert.Equal(VisibleSeqs(run, "missed"), run.Replayed.Select(e => e.Seq).Take(VisibleSeqs(run, "missed").Count));
    }

    /// <summary>Replay has no duplicates and only entries after the cursor; replay and live together are exactly what the member may see.</summary>
    private static void AssertNoGap(Disconnect run)
    {
        StrictlyIncreasing(run.Replayed.Select(e => e.Seq), "replay");
        Assert.All(run.Replayed, e => Assert.True(e.Seq > run.CutAt));
        var together = run.Replayed.Concat(run.LiveAfterCut).Select(e => e.Seq).Distinct().Order().ToList();
        Assert.Equal(ExpectedSeqs(run), together);
        Assert.Equal(run.Replayed.Concat(run.LiveAfterCut).Select(e => e.EventId).Distinct().Count(), together.Count);
    }

    private static List<long> ExpectedSeqs(Disconnect run) =>
        [.. VisibleSeqs(run, "missed"), .. VisibleSeqs(run, "racing"), run.Sentinel.Seq];

    private static List<long> VisibleSeqs(Disconnect run, string phase) =>
        run.Writes.Where(w => w.Phase == phase && (phase == "racing" || MemberMaySee[w.Label])).Select(w => w.Seq).ToList();

    private async Task<(Disconnect Run, TestUser Member, Guid CircleId)> RunAsync(int bulk)
    {
        var (facilitator, member, other) = (await app.RegisterAsync("wren"), await app.RegisterAsync("kai"), await app.RegisterAsync("lux"));
        var circle = await facilitator.CircleWithMembersAsync(member, other);
        var run = await new HubScripts(app).RunAsync<Disconnect>("forced-disconnect.mjs",
            People(("facilitator", facilitator), ("member", member), ("other", other)), circle.CircleId, bulk);
        Assert.All(run.Writes.Where(w => w.Phase == "missed"), w => Assert.True(MemberMaySee.ContainsKey(w.Label), $"No expectation for {w.Label}."));
        return (run, member, circle.CircleId);
    }

    private sealed record Write(string Phase, string Label, string By, Guid EventId, long Seq);

    private sealed record Page(long AfterSeq, long LastSeq, bool HasMore, int Count);

    private sealed record Brief(long Seq, Guid EventId, string Type, string Visibility);

    private sealed record Disconnect(
        long CutAt, bool ReconnectedWithNewConnection, bool MemberLeftPresence, bool MemberBackInPresence, List<Write> Writes,
        Ack Sentinel, List<Page> Pages, List<Brief> Replayed, List<Brief> LiveAfterCut);
}
