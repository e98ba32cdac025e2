using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// Resending a write with the same clientEventId (a double tap, or a retry after a reconnect when the first answer
/// was lost) returns the original { eventId, seq }, stores nothing and pushes nothing again. The id belongs to one
/// member in one circle. tests/hub-client/idempotent.mjs.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class IdempotencyTests(GroupsAppFixture app)
{
    private static readonly string[] Methods =
    [
        "CheckIn", "ShareWin", "BringToSession", "Reflect", "MakeCommitment", "JoinCommitment", "LogPractice", "Acknowledge",
        "StartRound", "RespondToRound", "EndRound", "RequestSupport",
    ];

    [Fact]
    public async Task A_resent_write_returns_the_original_receipt_is_stored_once_and_pushed_once()
    {
        var (run, facilitator, circleId, before) = await RunAsync();

        Assert.Equal(Methods, run.Cases.Select(c => c.Label));
        foreach (var c in run.Cases)
        {
            Assert.Equal(3, c.Acks.Count);
            Assert.True(c.Acks.Distinct().Count() == 1, $"{c.Label}: resending gave different receipts: {string.Join(", ", c.Acks)}.");
        }
        var originals = run.Cases.Select(c => c.Acks[0]).ToList();
        Assert.Equal(Enumerable.Range(1, Methods.Length).Select(i => before + i), originals.Select(a => a.Seq)); // nothing stored in between

        foreach (var (name, pushes) in run.Pushes)
        {
            foreach (var c in run.Cases.Where(c => c.Label != "RequestSupport" || name != "peer"))
                Assert.True(pushes.GetValueOrDefault(c.Acks[0].EventId.ToString()) == 1, $"{c.Label} was pushed to {name} {pushes.GetValueOrDefault(c.Acks[0].EventId.ToString())} times.");
        }
        Assert.False(run.Pushes["peer"].ContainsKey(run.Cases.Single(c => c.Label == "RequestSupport").Acks[0].EventId.ToString()));

        var stored = (await facilitator.EventsAsync(circleId, afterSeq: before, max: 200)).Events;
        foreach (var c in run.Cases)
            Assert.Single(stored, e => (string?)e["clientEventId"] == c.ClientEventId && e.Guid("eventId") == c.Acks[0].EventId);
        Assert.Equal(Methods.Length + 2, stored.Count); // the writes, the peer's own check-in and the sentinel
    }

    [Fact]
    public async Task The_first_write_wins_a_changed_resend_returns_it_and_changes_nothing()
    {
        var (run, facilitator, circleId, _) = await RunAsync();
        var checkIn = run.Cases.Single(c => c.Label == "CheckIn");

        Assert.Equal(checkIn.Acks[0], run.Changed);
        var stored = (await facilitator.EventsAsync(circleId, afterSeq: checkIn.Acks[0].Seq - 1, max: 1)).Events.Single();
        Assert.Equal(("the first words", "some"), ((string)stored["note"]!, (string)stored["capacity"]!));
    }

    [Fact]
    public async Task A_clientEventId_belongs_to_one_member_in_one_circle()
    {
        var (run, _, _, _) = await RunAsync();
        var checkIn = run.Cases.Single(c => c.Label == "CheckIn").Acks[0];

        Assert.NotEqual(checkIn.EventId, run.SameIdBySomeoneElse.EventId);
        Assert.True(run.SameIdBySomeoneElse.Seq > checkIn.Seq);
        Assert.NotEqual(checkIn.EventId, run.SameIdInAnotherCircle.EventId);
        Assert.Equal(2, run.SameIdInAnotherCircle.Seq); // the author's own circle: created, then this check-in
    }

    private static (Idempotent, TestUser, Guid, long)? _cached;
    private static readonly SemaphoreSlim Once = new(1, 1);

    private async Task<(Idempotent Run, TestUser Facilitator, Guid CircleId, long Before)> RunAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_cached is { } cached) return cached;
            var (facilitator, author, peer) = (await app.RegisterAsync("nia"), await app.RegisterAsync("obi"), await app.RegisterAsync("rue"));
            var circle = await facilitator.CircleWithMembersAsync(author, peer);
            var authorsOwn = await author.CircleWithMembersAsync();
            var before = (await facilitator.CircleAsync(circle.CircleId)).LastSeq;
            var run = await new HubScripts(app).RunAsync<Idempotent>("idempotent.mjs",
                People(("facilitator", facilitator), ("author", author), ("peer", peer)), circle.CircleId, authorsOwn.CircleId);
            _cached = (run, facilitator, circle.CircleId, before);
            return _cached.Value;
        }
        finally
        {
            Once.Release();
        }
    }

    private sealed record Case(string Label, string By, string ClientEventId, List<Ack> Acks);

    private sealed record Idempotent(
        List<Case> Cases, Ack Changed, Ack SameIdBySomeoneElse, Ack SameIdInAnotherCircle, Ack Sentinel,
        Dictionary<string, Dictionary<string, int>> Pushes);
}
