using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>
/// What a busy circle does while one of its commits is being stored (the store holds it, as a slow disk would):
/// entries that arrive meanwhile wait for the next commit together, nothing is acknowledged before it is stored, and
/// a change to the circle itself runs alone.
/// </summary>
public sealed class CircleCommitTests : IAsyncLifetime
{
    private readonly InMemoryCircleStore _store = new();
    private GroupsGrainHost _services = default!;
    private ICircleGrain _circle = default!;
    private long _seq;

    public async ValueTask InitializeAsync()
    {
        _services = await CircleTestHost.StartAsync(_store);
        _circle = _services.Grains.GetGrain<ICircleGrain>(Guid.NewGuid());
        var code = (await _circle.CreateAsync("f", "Fran", "Group")).InviteCode!;
        await _circle.JoinAsync("m1", "Mia", code);
        await _circle.JoinAsync("m2", "Noor", code);
        _seq = (await _circle.GetDetailsAsync("f")).LastSeq;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private Task<EventReceipt> CheckIn(string memberId, string? clientEventId = null) =>
        _circle.CheckInAsync(memberId, new CheckInDraft(clientEventId, Capacity.Some, null, null, "circle"));

    /// <summary>
    /// Lets calls sent before now reach the grain: a read goes behind them to the same activation, and a moment more
    /// covers the few steps before each entry joins the queue.
    /// </summary>
    private async Task Arrived()
    {
        await _circle.GetDetailsAsync("f");
        await Task.Delay(50, TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Entries_that_arrive_while_a_commit_is_stored_go_into_the_next_one_together_and_each_waits_for_it()
    {
        var commitsBefore = _store.CommittedSizes.Count;
        var release = _store.HoldCommits();
        var first = CheckIn("m1", "phone-1");
        await _store.CommitWaiting();
        var gathered = new[] { CheckIn("m2", "phone-2"), CheckIn("f", "laptop-1"), CheckIn("m1") };
        await Arrived();

        Assert.False(first.IsCompleted);
        Assert.All(gathered, entry => Assert.False(entry.IsCompleted));
        release();

        Assert.Equal(_seq + 1, (await first).Seq);
        var seqs = (await Task.WhenAll(gathered)).Select(r => r.Seq).Order().ToList();
        Assert.Equal([_seq + 2, _seq + 3, _seq + 4], seqs);
        Assert.Equal([1, 3], _store.CommittedSizes.Skip(commitsBefore));
        var seen = await _circle.ReadEventsAsync("m2", _seq, 10);
        Assert.Equal([_seq + 1, _seq + 2, _seq + 3, _seq + 4], seen.Events.Select(e => e.Seq));
        Assert.Equal(_seq + 4, (await _circle.GetDetailsAsync("m2")).LastSeq);
    }

    [Fact]
    public async Task Leaving_waits_for_the_entries_under_way_and_what_comes_after_it_sees_the_member_gone()
    {
        var release = _store.HoldCommits();
        var underWay = CheckIn("m1");
        await _store.CommitWaiting();
        var leaving = _circle.LeaveAsync("m1");
        await Task.Delay(100, TestContext.Current.CancellationToken);
        var afterLeaving = CheckIn("m1");
        await Task.Delay(100, TestContext.Current.CancellationToken);

        Assert.False(leaving.IsCompleted);
        release();

        Assert.Equal(_seq + 1, (await underWay).Seq);
        await leaving;
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => afterLeaving);
        var log = await _circle.ReadEventsAsync("f", _seq, 10);
        Assert.Equal([EventTypes.CheckIn, EventTypes.MemberLeft], log.Events.Select(e => e.Type));
    }

    [Fact]
    public async Task A_failed_commit_fails_only_its_own_entries_and_the_ones_after_it_are_stored()
    {
        var release = _store.HoldCommits();
        _store.FailNextCommit(new InvalidOperationException("The disk is full."));
        var lost = CheckIn("m1", "phone-1");
        await _store.CommitWaiting();
        var next = new[] { CheckIn("m2"), CheckIn("f") };
        await Arrived();
        release();

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => lost);
        Assert.Equal("The disk is full.", error.Message);
        // The failed entry took no seq: the ones after it follow on from what is stored.
        Assert.Equal([_seq + 1, _seq + 2], (await Task.WhenAll(next)).Select(r => r.Seq).Order());
        var resent = await CheckIn("m1", "phone-1");
        Assert.Equal(_seq + 3, resent.Seq);
        Assert.Equal(3, (await _circle.ReadEventsAsync("f", _seq, 10)).Events.Count);
    }

    [Fact]
    public async Task A_resend_while_the_first_is_still_being_stored_gets_its_receipt_and_is_stored_once()
    {
        var release = _store.HoldCommits();
        var first = CheckIn("m1", "phone-1");
        await _store.CommitWaiting();
        var resends = new[] { CheckIn("m1", "phone-1"), CheckIn("m1", "phone-1") };
        var someoneElse = CheckIn("m2", "phone-1");
        await Arrived();
        release();

        var receipt = await first;
        Assert.All(await Task.WhenAll(resends), r => Assert.Equal(receipt, r));
        Assert.NotEqual(receipt, await someoneElse);
        var log = await _circle.ReadEventsAsync("f", _seq, 10);
        Assert.Equal(2, log.Events.Count);
        Assert.Single(log.Events, e => e.MemberId == "m1");
    }
}
