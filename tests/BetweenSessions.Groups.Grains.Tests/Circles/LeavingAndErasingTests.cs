using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;
using BetweenSessions.Groups.Grains.Commitments;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

public sealed class LeavingAndErasingTests : IAsyncLifetime
{
    private readonly InMemoryCircleStore _store = new();
    private readonly InMemoryGrainStorage _storage = new();
    private GroupsGrainHost _services = default!;
    private IGrainFactory _grains = default!;
    private readonly Guid _circleId = Guid.NewGuid();
    private ICircleGrain Circle => _grains.GetGrain<ICircleGrain>(_circleId);

    public async ValueTask InitializeAsync()
    {
        _services = await CircleTestHost.StartAsync(_store, storage: _storage);
        _grains = _services.Grains;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<string> CircleWithMiaAsync()
    {
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        await Circle.JoinAsync("m1", "Mia", created.InviteCode!);
        return created.InviteCode!;
    }

    private static CheckInDraft CheckIn(string? clientEventId = null, string note = "a slow week") =>
        new(clientEventId, Capacity.Some, null, note, "circle");

    [Fact]
    public async Task A_member_who_leaves_is_announced_and_can_no_longer_read_or_write()
    {
        await CircleWithMiaAsync();

        await Circle.LeaveAsync("m1");

        var events = _store.Events(_circleId);
        Assert.Equal(EventTypes.MemberLeft, events[^1].Type);
        Assert.Equal(Visibility.Circle, events[^1].Visibility);
        Assert.Equal("m1", events[^1].MemberId);
        var details = await Circle.GetDetailsAsync("f1");
        Assert.Equal(["Fran"], details.Members.Select(m => m.DisplayName));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetDetailsAsync("m1"));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.ReadEventsAsync("m1", 0, 10));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.CheckInAsync("m1", CheckIn()));
        Assert.Empty(await _store.ListForMemberAsync("m1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Leaving_is_remembered_after_the_circle_reloads()
    {
        await CircleWithMiaAsync();
        await Circle.LeaveAsync("m1");

        await using var fresh = await CircleTestHost.StartAsync(_store);
        var reloaded = fresh.Grains.GetGrain<ICircleGrain>(_circleId);

        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => reloaded.ReadEventsAsync("m1", 0, 10));
    }

    [Fact]
    public async Task The_only_facilitator_is_told_why_they_cannot_leave_and_nothing_changes()
    {
        await CircleWithMiaAsync();
        var commits = _store.Commits;

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.LeaveAsync("f1"));

        Assert.Contains("only facilitator", refused.Message);
        Assert.Equal(commits, _store.Commits);
        Assert.Equal(CircleRole.Facilitator, (await Circle.GetDetailsAsync("f1")).Role);
    }

    [Fact]
    public async Task The_last_person_to_leave_may_and_the_empty_circle_is_archived_so_its_code_lets_nobody_in()
    {
        var inviteCode = await CircleWithMiaAsync();
        await Circle.LeaveAsync("m1");

        await Circle.LeaveAsync("f1");

        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetDetailsAsync("f1"));
        var refused = await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.JoinAsync("m2", "Noa", inviteCode));
        Assert.Contains("archived", refused.Message);
    }

    [Fact]
    public async Task Someone_who_is_not_a_member_cannot_leave()
    {
        await CircleWithMiaAsync();

        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.LeaveAsync("stranger"));
    }

    [Fact]
    public async Task A_former_member_can_join_again_with_the_code()
    {
        var code = await CircleWithMiaAsync();
        await Circle.LeaveAsync("m1");

        var again = await Circle.JoinAsync("m1", "Mia", code);

        Assert.Contains(again.Members, m => m.MemberId == "m1");
    }

    [Fact]
    public async Task Leaving_ends_the_member_s_presence()
    {
        await CircleWithMiaAsync();
        await Circle.ConnectAsync("m1", "connection-1");

        await Circle.LeaveAsync("m1");

        Assert.Empty((await Circle.GetDetailsAsync("f1")).PresentMemberIds);
    }

    [Fact]
    public async Task Erasing_leaves_tombstones_that_name_nobody_in_place_of_everything_the_member_wrote_and_nothing_of_others()
    {
        await CircleWithMiaAsync();
        var mine = await Circle.CheckInAsync("m1", CheckIn("resend-1", "my private words"));
        var theirs = await Circle.CheckInAsync("f1", CheckIn(note: "Fran's words"));
        var observer = new Recorder();
        await Circle.SubscribeAsync(_grains.CreateObjectReference<ICircleObserver>(observer));

        await Circle.EraseAuthoredAsync("m1");

        var events = await Circle.ReadEventsAsync("f1", 0, 10);
        Assert.Equal([1L, 2L, 3L, 4L], events.Events.Select(e => e.Seq));
        var tombstones = events.Events.Where(e => e.Seq is 2 or 3).ToList();
        Assert.All(tombstones, e =>
        {
            Assert.Equal(EventTypes.Removed, e.Type);
            Assert.Equal("{}", e.PayloadJson);
            Assert.Equal(CircleEvent.RemovedAuthorName, e.DisplayName);
            Assert.Equal(CircleEvent.RemovedAuthorId, e.MemberId);
        });
        Assert.DoesNotContain(_store.Events(_circleId), e => e.MemberId == "m1" || e.PayloadJson.Contains("my private words"));
        Assert.Contains(events.Events, e => e.EventId == theirs.EventId && e.PayloadJson.Contains("Fran's words"));
        // Live viewers are told which seqs to replace, and who could see each entry, so its author's apps hear it too.
        await HeardAllAsync(observer);
        Assert.Equal([2L, 3L], observer.Erased.Select(e => e.Tombstone.Seq));
        Assert.All(observer.Erased, e => Assert.Equal("m1", e.FormerAuthorId));
        // A resend of the erased entry still gets its original receipt, and stores nothing new.
        Assert.Equal(mine, await Circle.CheckInAsync("m1", CheckIn("resend-1", "my private words")));
        Assert.Equal(4, _store.Events(_circleId).Count);
    }

    [Fact]
    public async Task Erasing_again_changes_nothing_and_tells_nobody()
    {
        await CircleWithMiaAsync();
        await Circle.CheckInAsync("m1", CheckIn(note: "once"));
        await Circle.EraseAuthoredAsync("m1");
        var before = _store.Events(_circleId);
        var observer = new Recorder();
        await Circle.SubscribeAsync(_grains.CreateObjectReference<ICircleObserver>(observer));

        await Circle.EraseAuthoredAsync("m1");

        Assert.Equal(before, _store.Events(_circleId));
        await HeardAllAsync(observer);
        Assert.Empty(observer.Events);
        Assert.Empty(observer.Erased);
    }

    [Fact]
    public async Task Erasing_also_reaches_circles_the_member_has_left()
    {
        await CircleWithMiaAsync();
        await Circle.CheckInAsync("m1", CheckIn(note: "before I left"));
        await Circle.LeaveAsync("m1");

        await Circle.EraseAuthoredAsync("m1");

        Assert.Empty(await _store.ListAuthoredAsync("m1", TestContext.Current.CancellationToken));
        Assert.DoesNotContain(_store.Events(_circleId), e => e.MemberId == "m1" || e.PayloadJson.Contains("before I left"));
    }

    [Fact]
    public async Task Erasing_a_commitment_clears_its_state_and_others_entries_keep_their_words_but_not_its_text()
    {
        var code = await CircleWithMiaAsync();
        await Circle.JoinAsync("m2", "Noor", code);
        var made = await Circle.MakeCommitmentAsync("m1", new MakeCommitmentDraft(null, "Walk at dusk", "after dinner", "ten minutes", "circle"));
        var commitmentId = await CommitmentIdAsync(made);
        await Circle.JoinCommitmentAsync("m2", new JoinCommitmentDraft(null, commitmentId));
        await Circle.LogPracticeAsync("m2", new LogPracticeDraft(null, commitmentId, PracticeOutcomes.Adapted, "Noor's own note"));
        var observer = new Recorder();
        await Circle.SubscribeAsync(_grains.CreateObjectReference<ICircleObserver>(observer));

        await Circle.EraseAuthoredAsync("m1");

        Assert.Null(await _grains.GetGrain<ICommitmentGrain>(commitmentId).GetAsync());
        var stored = new GrainState<CommitmentState>();
        await _storage.ReadStateAsync("CommitmentGrain", _grains.GetGrain<ICommitmentGrain>(commitmentId).GetGrainId(), stored);
        Assert.False(stored.RecordExists);
        foreach (var viewer in new[] { "f1", "m2" })
        {
            var seen = (await Circle.ReadEventsAsync(viewer, 0, 50)).Events;
            Assert.DoesNotContain(seen, e => e.PayloadJson.Contains("Walk at dusk") || e.PayloadJson.Contains("after dinner") || e.PayloadJson.Contains("ten minutes"));
        }
        var noors = _store.Events(_circleId).Where(e => e.MemberId == "m2" && e.Type is EventTypes.CommitmentJoined or EventTypes.PracticeLogged).ToList();
        Assert.Equal(2, noors.Count);
        Assert.All(noors, e => Assert.Contains(Erasure.RemovedCommitment, e.PayloadJson));
        Assert.Contains("Noor's own note", noors[1].PayloadJson);
        // Open pages hear the rewritten entries under their old seqs.
        await HeardAllAsync(observer);
        Assert.Equal(noors.Select(e => e.Seq), observer.Events.Select(e => e.Seq));
        // The commitment is gone for good: nobody can join it or log practice with it again.
        await Assert.ThrowsAsync<CircleNotFoundException>(() =>
            Circle.LogPracticeAsync("m2", new LogPracticeDraft(null, commitmentId, PracticeOutcomes.Practised, null)));
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.JoinCommitmentAsync("f1", new JoinCommitmentDraft(null, commitmentId)));
        Assert.DoesNotContain(await Circle.ReadCommitmentEventsAsync("f1"), e => e.Type == EventTypes.CommitmentMade);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_join_that_races_the_erase_never_brings_the_text_back(bool joinFirst)
    {
        var code = await CircleWithMiaAsync();
        await Circle.JoinAsync("m2", "Noor", code);
        var commitmentId = await CommitmentIdAsync(
            await Circle.MakeCommitmentAsync("m1", new MakeCommitmentDraft(null, "Walk at dusk", "after dinner", null, "circle")));

        // Sent together; the circle takes them one at a time in arrival order.
        Func<Task> join = () => Circle.JoinCommitmentAsync("m2", new JoinCommitmentDraft(null, commitmentId));
        Func<Task> erase = () => Circle.EraseAuthoredAsync("m1");
        var (first, second) = joinFirst ? (join(), erase()) : (erase(), join());
        try { await Task.WhenAll(first, second); }
        catch (CircleNotFoundException) { } // the erase came first: there is nothing left to join

        Assert.DoesNotContain(_store.Events(_circleId), e => e.PayloadJson.Contains("Walk at dusk"));
        Assert.Null(await _grains.GetGrain<ICommitmentGrain>(commitmentId).GetAsync());
    }

    [Fact]
    public async Task Erasing_closes_a_round_the_member_opened_so_its_prompt_is_nowhere()
    {
        await CircleWithMiaAsync();
        var observer = new Recorder();
        var round = await Circle.StartRoundAsync("f1", new StartRoundDraft(null, "One word for how you arrive?"));
        await Circle.RespondToRoundAsync("m1", new RespondToRoundDraft(null, (await Circle.GetDetailsAsync("f1")).OpenRound!.RoundId, Capacity.Steady, "Here", false));
        await Circle.SubscribeAsync(_grains.CreateObjectReference<ICircleObserver>(observer));

        await Circle.EraseAuthoredAsync("f1");

        Assert.Null((await Circle.GetDetailsAsync("m1")).OpenRound);
        Assert.DoesNotContain(_store.Events(_circleId), e => e.PayloadJson.Contains("One word for how you arrive?"));
        Assert.Null((await _store.LoadAsync(_circleId, TestContext.Current.CancellationToken))!.OpenRound);
        // Pages heard the round end (so its banner goes), then that ending was erased with the rest of what she wrote.
        await HeardAllAsync(observer);
        var ended = Assert.Single(observer.Events, e => e.Type == EventTypes.RoundEnded);
        Assert.Contains(observer.Erased, e => e.Tombstone.Seq == ended.Seq);
        Assert.Contains(observer.Erased, e => e.Tombstone.Seq == round.Seq);
        // Mia's answer is hers and stays.
        Assert.Contains(_store.Events(_circleId), e => e.MemberId == "m1" && e.Type == EventTypes.RoundAnswered);
    }

    [Fact]
    public async Task Commitments_come_back_whatever_their_age_and_only_to_members()
    {
        await CircleWithMiaAsync();
        var made = await Circle.MakeCommitmentAsync("m1", new MakeCommitmentDraft(null, "Walk at dusk", "after dinner", null, "circle"));
        for (var i = 0; i < Limits.EventPage + 5; i++) await Circle.CheckInAsync("f1", CheckIn());

        var history = await Circle.ReadCommitmentEventsAsync("f1");

        Assert.Equal([made.Seq], history.Select(e => e.Seq));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.ReadCommitmentEventsAsync("stranger"));
    }

    private async Task<Guid> CommitmentIdAsync(EventReceipt made)
    {
        var e = _store.Events(_circleId).Single(e => e.EventId == made.EventId);
        return Guid.Parse(System.Text.Json.JsonDocument.Parse(e.PayloadJson).RootElement.GetProperty("commitmentId").GetString()!);
    }

    /// <summary>
    /// Observers hear of changes after the call that made them returns. A presence change is pushed after everything
    /// before it, in order: once the observer heard Fran come and go, it has heard all that came before.
    /// </summary>
    private async Task HeardAllAsync(Recorder observer)
    {
        var before = observer.PresenceChanges;
        await Circle.ConnectAsync("f1", "flush");
        await Circle.DisconnectAsync("f1", "flush");
        for (var i = 0; i < 2000 && observer.PresenceChanges < before + 2; i++) await Task.Delay(5);
        Assert.Equal(before + 2, observer.PresenceChanges);
    }

    private sealed class Recorder : ICircleObserver
    {
        private readonly System.Collections.Concurrent.ConcurrentQueue<CircleEvent> _events = new();
        private readonly System.Collections.Concurrent.ConcurrentQueue<ErasedEntry> _erased = new();
        private int _presenceChanges;

        public IReadOnlyList<CircleEvent> Events => _events.ToList();

        public IReadOnlyList<ErasedEntry> Erased => _erased.ToList();

        public int PresenceChanges => Volatile.Read(ref _presenceChanges);

        public void OnCircleEvent(CircleEvent circleEvent) => _events.Enqueue(circleEvent);

        public void OnEntryErased(ErasedEntry erased) => _erased.Enqueue(erased);

        public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) => Interlocked.Increment(ref _presenceChanges);
    }
}
