using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// A member's right to leave and to erase, seen from apps that stay connected (the npm client over a real socket):
/// nothing more reaches a leaver's open connections, and nothing of erased words stays in a push or a replay.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class LeavingAndErasingHubTests(GroupsAppFixture app)
{
    private readonly HubScripts _scripts = new(app);

    [Fact]
    public async Task A_member_who_leaves_hears_nothing_more_on_open_connections_while_the_others_keep_hearing()
    {
        var (facilitator, staying, leaver) = (await app.RegisterAsync("uma"), await app.RegisterAsync("vic"), await app.RegisterAsync("wes"));
        var circle = await facilitator.CircleWithMembersAsync(staying, leaver);
        var other = await leaver.CircleWithMembersAsync();

        var result = await _scripts.RunAsync<Leave>("leave.mjs",
            People(("facilitator", facilitator), ("staying", staying), ("leaver", leaver)), circle.CircleId, other.CircleId);

        Assert.Equal(204, result.LeaveStatus);
        var afterSeqs = result.After.Select(a => a.Seq).ToList();
        foreach (var name in new[] { "facilitator", "staying" })
            Assert.Equal(afterSeqs, result.Received[name].Where(e => e.Seq > result.MemberLeftSeq).Select(e => e.Seq));
        foreach (var name in new[] { "leaverInBoth", "leaverInOne" })
        {
            // They hear that they left, and then nothing of the circle: not even the answer to their own check-in.
            Assert.Equal("member-left", result.Received[name][^1].Type);
            Assert.Equal(result.MemberLeftSeq, result.Received[name][^1].Seq);
            Assert.Equal("Connected", result.States[name]);
            Assert.Contains(result.OtherReceived[name], e => e.Seq == result.OtherWrite.Seq && e.Note == "in my other circle");
        }
        Refused(result.Rejoin, "You are not a member of this circle.", "joining the left circle again");
        Assert.True(result.OtherJoinOk);
    }

    [Fact]
    public async Task Erasing_reaches_every_open_connection_that_held_an_entry_and_leaves_no_text_in_pushes_or_replays()
    {
        var (facilitator, author, other) = (await app.RegisterAsync("xia"), await app.RegisterAsync("yan"), await app.RegisterAsync("zoe"));
        var circle = await facilitator.CircleWithMembersAsync(author, other);
        var members = (await facilitator.CircleAsync(circle.CircleId)).Members.ToDictionary(m => m.DisplayName, m => m.MemberId);

        var result = await _scripts.RunAsync<Erase>("erase.mjs",
            People(("facilitator", facilitator), ("author", author), ("other", other)), circle.CircleId);

        Assert.Equal(204, result.EraseStatus);
        string[] erasedWords = ["Walk at dusk", "After dinner", "Ten minutes", "shared words", "only mine", "for facilitators", members["yan"]];
        foreach (var (name, events) in result.Pushed.Concat(result.Replays.Select(r => KeyValuePair.Create("replay of " + r.Key, r.Value))))
        {
            foreach (var e in events)
                Assert.DoesNotContain(erasedWords, w => e.ToJsonString().Contains(w, StringComparison.Ordinal));
        }

        var acks = result.Acks;
        // Each tombstone reaches exactly those who could see the entry, its author included, and names nobody.
        Assert.Superset(Seqs(acks["made"], acks["shared"], acks["private"], acks["facilitators"]), Tombstones(result.Pushed["author"]));
        Assert.Superset(Seqs(acks["made"], acks["shared"], acks["facilitators"]), Tombstones(result.Pushed["facilitator"]));
        Assert.DoesNotContain(acks["private"].Seq, Tombstones(result.Pushed["facilitator"]));
        Assert.Superset(Seqs(acks["made"], acks["shared"]), Tombstones(result.Pushed["other"]));
        Assert.DoesNotContain(acks["private"].Seq, Tombstones(result.Pushed["other"]));
        Assert.DoesNotContain(acks["facilitators"].Seq, Tombstones(result.Pushed["other"]));
        Assert.All(result.Pushed.Values.SelectMany(e => e).Concat(result.Replays.Values.SelectMany(e => e)).Where(e => e.Type() == "removed"), e =>
        {
            Assert.Equal(["at", "circleId", "displayName", "eventId", "memberId", "seq", "type", "visibility"], e.Fields());
            Assert.Equal(("", "Someone"), ((string?)e["memberId"], (string?)e["displayName"]));
        });

        // The other member's own entries come again under their seqs, with their words and without the commitment's.
        foreach (var ack in new[] { acks["joined"], acks["logged"] })
        {
            var rewritten = Assert.Single(result.Pushed["other"], e => e.Seq() == ack.Seq);
            Assert.Equal((members["zoe"], "a commitment that was removed", true),
                ((string?)rewritten["memberId"], (string?)rewritten["practice"], (bool?)rewritten["textRemoved"]));
        }
        Assert.Equal("my own note", (string?)result.Replays["other"].Single(e => e.Seq() == acks["logged"].Seq)["note"]);
        Assert.Equal("acknowledged", result.Replays["author"].Single(e => e.Seq() == acks["answered"].Seq).Type());

        // Replays keep every seq each person may see, in order; erased ones are tombstones.
        Assert.Equal("removed", result.Replays["other"].Single(e => e.Seq() == acks["shared"].Seq).Type());
        Assert.DoesNotContain(result.Replays["other"], e => e.Seq() == acks["facilitators"].Seq);
        StrictlyIncreasing(result.Replays["facilitator"].Select(e => e.Seq()), "the facilitator's replay");
        // The author's app resending the erased entry gets its receipt back; the text is not stored again.
        Assert.Equal(acks["shared"], result.Resent);
        var rest = await other.EventsAsync(circle.CircleId);
        Assert.DoesNotContain(rest.Events, e => e.ToJsonString().Contains("shared words", StringComparison.Ordinal));
    }

    private static HashSet<long> Seqs(params Ack[] acks) => acks.Select(a => a.Seq).ToHashSet();

    private static HashSet<long> Tombstones(IEnumerable<JsonObject> events) =>
        events.Where(e => e.Type() == "removed").Select(e => e.Seq()).ToHashSet();

    private sealed record Leave(
        int LeaveStatus, long MemberLeftSeq, List<Ack> After, Attempt<object> Rejoin, bool OtherJoinOk, Ack OtherWrite,
        Dictionary<string, string> States, Dictionary<string, List<EventSummary>> Received,
        Dictionary<string, List<EventSummary>> OtherReceived);

    private sealed record Erase(
        int EraseStatus, Dictionary<string, Ack> Acks, Dictionary<string, List<JsonObject>> Pushed,
        Dictionary<string, List<JsonObject>> Replays, Ack Resent);
}
