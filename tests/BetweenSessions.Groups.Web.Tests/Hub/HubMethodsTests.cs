using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// Every method of /hubs/circles once, over a real socket with the npm client (tests/hub-client/every-method.mjs):
/// what JoinCircle answers, each write's receipt, the live circleEvent with its exact fields, and the same entry as
/// stored (REST and replay).
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class HubMethodsTests(GroupsAppFixture app)
{
    private static readonly string[] Envelope = ["at", "circleId", "clientEventId", "displayName", "eventId", "memberId", "seq", "type", "visibility"];

    /// <summary>Each write's label in the scenario, its event type, and the payload fields that type carries.</summary>
    private static readonly (string Label, string Type, string[] Payload)[] Writes =
    [
        ("checkIn", "check-in", ["capacity", "feelings", "note"]),
        ("shareWin", "win-shared", ["text"]),
        ("bringToSession", "brought-to-session", ["text"]),
        ("reflect", "reflected", ["important", "stillWithMe", "toNotice"]),
        ("makeCommitment", "commitment-made", ["commitmentId", "practice", "cue", "size", "cueTime"]),
        ("joinCommitment", "commitment-joined", ["commitmentId", "practice"]),
        ("logPractice", "practice-logged", ["commitmentId", "practice", "outcome", "note"]),
        ("logPracticeOwner", "practice-logged", ["commitmentId", "practice", "outcome", "note"]),
        ("acknowledge", "acknowledged", ["targetEventId", "targetType", "kind"]),
        ("startRound", "round-started", ["roundId", "prompt"]),
        ("respondToRound", "round-answered", ["roundId", "capacity", "text", "pass"]),
        ("passRound", "round-answered", ["roundId", "capacity", "text", "pass"]),
        ("endRound", "round-ended", ["roundId", "prompt"]),
        ("requestSupport", "support-requested", ["note"]),
        ("addSupportNote", "support-note-added", ["targetEventId", "note"]),
        ("withdrawSupport", "support-withdrawn", ["targetEventId"]),
    ];

    /// <summary>A request for support and what its author adds to or does with it: for the facilitators (and them) alone.</summary>
    private static readonly string[] ForFacilitators = ["requestSupport", "addSupportNote", "withdrawSupport"];

    private static EveryMethod? _result;
    private static readonly SemaphoreSlim Once = new(1, 1);

    [Fact]
    public async Task JoinCircle_answers_with_the_role_members_presence_and_the_log_so_far()
    {
        var run = await RunAsync();
        var (facilitator, author, peer) = (run.Joins["facilitator"], run.Joins["author"], run.Joins["peer"]);

        Assert.Equal(("facilitator", "member", "member"), (facilitator.Role, author.Role, peer.Role));
        Assert.All(run.Joins.Values, j => Assert.Equal(run.Circle.CircleId, j.CircleId));
        Assert.All(run.Joins.Values, j => Assert.False(j.HasMore));
        Assert.Null(facilitator.OpenRound);
        // Members in alphabetical order, never by activity; present while a connection of theirs has joined.
        Assert.Equal(["ada", "fay", "pim"], peer.Members.Select(m => m.DisplayName));
        Assert.Equal(["member", "facilitator", "member"], peer.Members.Select(m => m.Role));
        Assert.Equal([false, true, false], facilitator.Members.Select(m => m.Present));
        Assert.Equal([true, true, true], peer.Members.Select(m => m.Present));

        var log = peer.Events;
        Assert.Equal(["circle-created", "member-joined", "member-joined"], log.Select(e => e.Type()));
        Assert.Equal([1L, 2, 3], log.Select(e => e.Seq()));
        Assert.Equal(3, peer.LastSeq);
        Assert.Equal(run.Circle.Name, (string)log[0]["name"]!);
        Assert.Equal(Envelope.Where(f => f != "clientEventId").Append("name").Order(StringComparer.Ordinal), log[0].Fields());
        Assert.Equal(["ada", "pim"], log.Skip(1).Select(e => (string)e["displayName"]!));
    }

    [Fact]
    public async Task Every_write_is_acknowledged_once_stored_with_the_next_seq_of_the_circle()
    {
        var run = await RunAsync();

        var seqs = Writes.Select(w => run.Acks[w.Label].Seq).ToList();
        Assert.Equal(Enumerable.Range(4, Writes.Length).Select(i => (long)i), seqs); // nothing else wrote meanwhile
        Assert.Equal(Writes.Length, Writes.Select(w => run.Acks[w.Label].EventId).Distinct().Count());
        Assert.All(run.Acks.Values, a => Assert.NotEqual(Guid.Empty, a.EventId));
    }

    [Fact]
    public async Task Each_write_reaches_the_facilitator_live_with_its_envelope_and_exactly_its_types_payload()
    {
        var run = await RunAsync();
        var live = run.Received["facilitator"].ToDictionary(e => e.Guid("eventId"));

        foreach (var (label, type, payload) in Writes)
        {
            var ack = run.Acks[label];
            Assert.True(live.TryGetValue(ack.EventId, out var e), $"{label}: the facilitator never received it live.");
            var writer = label is "startRound" or "endRound" ? "fay" : label is "joinCommitment" or "logPractice" or "acknowledge" or "passRound" ? "pim" : "ada";
            Assert.Equal((run.Circle.CircleId, ack.Seq, type, writer), (e!.Guid("circleId"), e.Seq(), e.Type(), (string)e["displayName"]!));
            Assert.Equal(run.MemberIds[writer], (string)e["memberId"]!);
            Assert.Equal(ForFacilitators.Contains(label) ? "facilitators" : "circle", (string)e["visibility"]!);
            Assert.Equal((string)run.Sent[label]["clientEventId"]!, (string)e["clientEventId"]!);
            Assert.InRange(DateTimeOffset.Parse((string)e["at"]!), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));
            Assert.Equal(Envelope.Concat(payload).Order(StringComparer.Ordinal), e.Fields());
        }
    }

    [Fact]
    public async Task The_payload_of_each_type_carries_what_was_sent()
    {
        var run = await RunAsync();
        var live = run.Received["facilitator"].ToDictionary(e => e.Guid("eventId"));
        var e = run.Acks.ToDictionary(a => a.Key, a => live[a.Value.EventId]);

        Assert.Equal(("low", "Long week, glad to be here."), ((string)e["checkIn"]["capacity"]!, (string)e["checkIn"]["note"]!));
        Assert.Equal(["tired", "hopeful"], e["checkIn"]["feelings"]!.AsArray().Select(f => (string)f!));
        Assert.Equal("I asked for help at work.", (string)e["shareWin"]["text"]!);
        Assert.Equal("How I freeze on the phone.", (string)e["bringToSession"]["text"]!);
        Assert.Equal(("Being heard.", null, "My breath."),
            ((string)e["reflect"]["important"]!, (string?)e["reflect"]["stillWithMe"], (string)e["reflect"]["toNotice"]!));

        var commitmentId = e["makeCommitment"].Guid("commitmentId");
        Assert.Equal(("Three slow breaths", "Before I open email", "Just one round"),
            ((string)e["makeCommitment"]["practice"]!, (string)e["makeCommitment"]["cue"]!, (string)e["makeCommitment"]["size"]!));
        Assert.Equal((commitmentId, "Three slow breaths"), (e["joinCommitment"].Guid("commitmentId"), (string)e["joinCommitment"]["practice"]!));
        Assert.Equal((commitmentId, "adapted", "Two breaths, not three."),
            (e["logPractice"].Guid("commitmentId"), (string)e["logPractice"]["outcome"]!, (string)e["logPractice"]["note"]!));
        Assert.Equal((commitmentId, "rested", null),
            (e["logPracticeOwner"].Guid("commitmentId"), (string)e["logPracticeOwner"]["outcome"]!, (string?)e["logPracticeOwner"]["note"]));

        Assert.Equal((run.Acks["shareWin"].EventId, "win-shared", "glad-you-shared"),
            (e["acknowledge"].Guid("targetEventId"), (string)e["acknowledge"]["targetType"]!, (string)e["acknowledge"]["kind"]!));

        var roundId = e["startRound"].Guid("roundId");
        Assert.Equal("One word for how you arrive?", (string)e["startRound"]["prompt"]!);
        Assert.Equal((roundId, "open", "Arriving.", false),
            (e["respondToRound"].Guid("roundId"), (string)e["respondToRound"]["capacity"]!, (string)e["respondToRound"]["text"]!, (bool)e["respondToRound"]["pass"]!));
        // Passing is a full answer: nothing else needed, nothing else shown.
        Assert.Equal((roundId, null, null, true),
            (e["passRound"].Guid("roundId"), (string?)e["passRound"]["capacity"], (string?)e["passRound"]["text"], (bool)e["passRound"]["pass"]!));
        Assert.Equal((roundId, "One word for how you arrive?"), (e["endRound"].Guid("roundId"), (string)e["endRound"]["prompt"]!));
        Assert.Equal("Tonight is hard.", (string)e["requestSupport"]["note"]!);
        Assert.Equal((run.Acks["requestSupport"].EventId, "Mostly the evenings."),
            (e["addSupportNote"].Guid("targetEventId"), (string)e["addSupportNote"]["note"]!));
        Assert.Equal(run.Acks["requestSupport"].EventId, e["withdrawSupport"].Guid("targetEventId"));
    }

    [Fact]
    public async Task JoinCircle_shows_the_open_round_while_it_is_open_and_none_after_it_ended()
    {
        var run = await RunAsync();
        var started = run.Received["author"].Single(e => e.Type() == "round-started");

        var open = run.JoinDuringRound.OpenRound!;
        Assert.Equal((started.Guid("roundId"), "One word for how you arrive?", run.MemberIds["fay"]), (open.RoundId, open.Prompt, open.StartedBy));
        // The grain reads the clock once for the round and once for its event: the same moment, give or take microseconds.
        Assert.InRange(open.StartedAt - DateTimeOffset.Parse((string)started["at"]!), TimeSpan.FromSeconds(-1), TimeSpan.FromSeconds(1));
        Assert.Empty(run.JoinDuringRound.Events); // joined after the round's own seq: nothing newer yet
        Assert.Null(run.JoinAfterRound.OpenRound);
    }

    [Fact]
    public async Task Everyone_receives_live_what_they_may_see_in_order_and_the_stored_log_says_the_same()
    {
        var run = await RunAsync();
        var support = ForFacilitators.Select(label => run.Acks[label].EventId).ToHashSet();

        foreach (var (name, received) in run.Received)
        {
            StrictlyIncreasing(received.Select(e => e.Seq()), $"live at {name}");
            var expected = Writes.Select(w => run.Acks[w.Label].EventId).Where(id => name != "peer" || !support.Contains(id)).ToList();
            Assert.Equal(expected, received.Select(e => e.Guid("eventId")).Where(id => id != run.Sentinel).ToList());
        }

        // What was pushed is what was stored: byte for byte the same JSON in REST and replay.
        foreach (var (name, user) in new[] { ("facilitator", run.Facilitator), ("peer", run.Peer) })
        {
            var stored = (await user.EventsAsync(run.Circle.CircleId, afterSeq: 3)).Events;
            Assert.Equal(run.Received[name].Count, stored.Count);
            foreach (var (pushed, kept) in run.Received[name].Zip(stored))
                Assert.True(JsonNode.DeepEquals(pushed, kept), $"{name}: pushed {pushed.ToJsonString()} but stored {kept.ToJsonString()}");
        }
    }

    [Fact]
    public async Task RequestSupport_answers_with_the_crisis_resources_besides_eventId_and_seq()
    {
        var run = await RunAsync();

        var resources = run.Acks["requestSupport"].Resources!;
        Assert.NotEmpty(resources);
        Assert.All(resources, r => Assert.False(string.IsNullOrWhiteSpace(r.Name)));
        Assert.All(resources, r => Assert.True(r.Phone is not null || r.Url is not null, $"{r.Name} has neither a phone number nor a link."));
        Assert.All(run.Acks.Where(a => a.Key != "requestSupport"), a => Assert.Null(a.Value.Resources));
    }

    private async Task<EveryMethod> RunAsync()
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

    private async Task<EveryMethod> ScenarioAsync()
    {
        var (facilitator, author, peer) = (await app.RegisterAsync("fay"), await app.RegisterAsync("ada"), await app.RegisterAsync("pim"));
        var circle = await facilitator.CircleWithMembersAsync(author, peer);
        var script = await new HubScripts(app).RunAsync<EveryMethodScript>("every-method.mjs",
            People(("facilitator", facilitator), ("author", author), ("peer", peer)), circle.CircleId);
        var members = (await facilitator.CircleAsync(circle.CircleId)).Members.ToDictionary(m => m.DisplayName, m => m.MemberId);
        var sentinel = script.Received["facilitator"][^1].Guid("eventId");
        return new EveryMethod(circle, facilitator, peer, members, script.Joins, script.Sent, script.Acks, script.JoinDuringRound,
            script.JoinAfterRound, script.Received, sentinel);
    }

    private sealed record Resource(string Name, string? Phone, string? Text, string? Url);

    private sealed record WriteAck(Guid EventId, long Seq, List<Resource>? Resources);

    private sealed record OpenRound(Guid RoundId, string Prompt, DateTimeOffset StartedAt, string StartedBy);

    private sealed record Join(Guid CircleId, string Role, long LastSeq, List<HubPresence> Members, OpenRound? OpenRound, List<JsonObject> Events, bool HasMore);

    private sealed record EveryMethodScript(
        Dictionary<string, Join> Joins, Dictionary<string, JsonObject> Sent, Dictionary<string, WriteAck> Acks,
        Join JoinDuringRound, Join JoinAfterRound, Dictionary<string, List<JsonObject>> Received);

    private sealed record EveryMethod(
        CircleCreated Circle, TestUser Facilitator, TestUser Peer, Dictionary<string, string> MemberIds,
        Dictionary<string, Join> Joins, Dictionary<string, JsonObject> Sent, Dictionary<string, WriteAck> Acks,
        Join JoinDuringRound, Join JoinAfterRound, Dictionary<string, List<JsonObject>> Received, Guid Sentinel);
}
