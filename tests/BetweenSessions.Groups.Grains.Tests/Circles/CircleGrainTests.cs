using System.Text.Json;
using BetweenSessions.Groups.Domain;
using System.Collections.Concurrent;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

public sealed class CircleGrainTests : IAsyncLifetime
{
    private readonly InMemoryCircleStore _store = new();
    private GroupsGrainHost _services = default!;
    private IGrainFactory _grains = default!;
    private readonly Guid _circleId = Guid.NewGuid();
    private ICircleGrain Circle => _grains.GetGrain<ICircleGrain>(_circleId);

    public async ValueTask InitializeAsync()
    {
        _services = await Host(_store);
        _grains = _services.Grains;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private static Task<GroupsGrainHost> Host(InMemoryCircleStore store) => CircleTestHost.StartAsync(store);

    /// <summary>Observers hear of a change after the call that made it returns: waits (bounded) until they have.</summary>
    private static async Task Eventually(Func<bool> condition)
    {
        for (var i = 0; i < 2000 && !condition(); i++) await Task.Delay(5);
        Assert.True(condition());
    }

    private async Task<string> CreateWithMemberAsync(string member = "m1", string name = "Mia")
    {
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        await Circle.JoinAsync(member, name, created.InviteCode!);
        return created.InviteCode!;
    }

    [Fact]
    public async Task Creating_makes_the_creator_facilitator_and_gives_an_invite_code()
    {
        var created = await Circle.CreateAsync("f1", "Fran", "  Tuesday group  ");

        Assert.Equal("Tuesday group", created.Name);
        Assert.Equal(CircleRole.Facilitator, created.Role);
        Assert.Matches("^[A-Z2-9]{8}$", created.InviteCode);
        Assert.Equal(1, created.LastSeq);
    }

    [Fact]
    public async Task Joining_with_the_code_in_any_case_adds_a_member_who_cannot_see_the_code()
    {
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");

        var joined = await Circle.JoinAsync("m1", "Mia", created.InviteCode!.ToLowerInvariant().Insert(4, "-"));

        Assert.Equal(CircleRole.Member, joined.Role);
        Assert.Null(joined.InviteCode);
        Assert.Equal(["Fran", "Mia"], joined.Members.Select(m => m.DisplayName));
    }

    [Fact]
    public async Task A_wrong_invite_code_changes_nothing()
    {
        await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        var commits = _store.Commits;

        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.JoinAsync("m1", "Mia", "WRONGCOD"));

        Assert.Equal(commits, _store.Commits);
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetDetailsAsync("m1"));
    }

    [Fact]
    public async Task Members_are_listed_alphabetically_whatever_their_activity()
    {
        var code = (await Circle.CreateAsync("f1", "Zoe", "Group")).InviteCode!;
        await Circle.JoinAsync("m2", "bea", code);
        await Circle.JoinAsync("m1", "Al", code);
        for (var i = 0; i < 3; i++) await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Some, null, null, "circle"));

        var details = await Circle.GetDetailsAsync("f1");

        Assert.Equal(["Al", "bea", "Zoe"], details.Members.Select(m => m.DisplayName));
    }

    [Fact]
    public async Task A_check_in_is_stored_with_the_next_seq_and_its_payload()
    {
        await CreateWithMemberAsync();

        var receipt = await Circle.CheckInAsync("m1", new CheckInDraft("c1", Capacity.Resting, ["tired", " calm "], " A slow day ", "circle"));

        var stored = _store.Events(_circleId).Last();
        Assert.Equal(3, receipt.Seq);
        Assert.Equal(receipt.EventId, stored.EventId);
        Assert.Equal(EventTypes.CheckIn, stored.Type);
        using var payload = JsonDocument.Parse(stored.PayloadJson);
        Assert.Equal("resting", payload.RootElement.GetProperty("capacity").GetString());
        Assert.Equal(["tired", "calm"], payload.RootElement.GetProperty("feelings").EnumerateArray().Select(f => f.GetString()));
        Assert.Equal("A slow day", payload.RootElement.GetProperty("note").GetString());
    }

    [Theory]
    [InlineData(null, "capacity")]
    [InlineData("exhausted", "capacity")]
    [InlineData(Capacity.Low, "visibility", "everyone")]
    public async Task Bad_check_ins_are_refused_with_the_field_and_store_nothing(string? capacity, string field, string visibility = "circle")
    {
        await CreateWithMemberAsync();
        var commits = _store.Commits;

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle.CheckInAsync("m1", new CheckInDraft(null, capacity, null, null, visibility)));

        Assert.Contains(field, error.Errors.Keys);
        Assert.Equal(commits, _store.Commits);
    }

    [Fact]
    public async Task An_over_long_note_is_refused()
    {
        await CreateWithMemberAsync();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Low, null, new string('x', Limits.Note + 1), "circle")));

        Assert.Contains("at most 1000", error.Message);
    }

    [Fact]
    public async Task Line_breaks_are_kept_but_other_control_characters_are_refused()
    {
        await CreateWithMemberAsync();

        await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Low, null, "Two lines\nand a\ttab", "circle"));
        var error = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Low, null, "bell\u0007", "circle")));

        Assert.Equal("The note contains control or text-direction characters that cannot be shown here. Please type it again without them.", error.Message);
    }

    [Theory]
    [InlineData("Rae\u202E")]      // a right-to-left override: what follows reads backwards
    [InlineData("R\u200Bae")]      // a zero-width space: looks like "Rae"
    [InlineData("\u2067Rae\u2069")] // an isolate
    [InlineData("Rae\u200F")]      // a direction mark
    [InlineData("Ra\u0000e")]
    public async Task A_name_that_could_pass_for_someone_elses_or_turn_text_around_is_refused(string name)
    {
        var code = await CreateWithMemberAsync();

        var error = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.JoinAsync("m2", name, code));

        Assert.Equal("A display name contains invisible, control or text-direction characters. Please type it again without them.", error.Message);
        Assert.DoesNotContain((await Circle.GetDetailsAsync("m1")).Members, m => m.MemberId == "m2");
    }

    [Fact]
    public async Task Names_in_other_scripts_and_with_emoji_are_kept_as_written()
    {
        var code = await CreateWithMemberAsync();

        // Persian needs the zero-width non-joiner, a family emoji the joiner; both are writing.
        await Circle.JoinAsync("m2", "\u0645\u06CC\u200C\u0631\u0627", code);
        await Circle.JoinAsync("m3", "Sam \U0001F469\u200D\U0001F467", code);

        var names = (await Circle.GetDetailsAsync("m1")).Members.Select(m => m.DisplayName).ToList();
        Assert.Contains("\u0645\u06CC\u200C\u0631\u0627", names);
        Assert.Contains("Sam \U0001F469\u200D\U0001F467", names);
    }

    [Fact]
    public async Task Someone_outside_the_circle_can_neither_post_nor_read()
    {
        await CreateWithMemberAsync();

        await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            Circle.CheckInAsync("stranger", new CheckInDraft(null, Capacity.Low, null, null, "circle")));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.ReadEventsAsync("stranger", 0, 10));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.ConnectAsync("stranger", "c"));
    }

    [Fact]
    public async Task Resending_with_the_same_client_event_id_returns_the_original_and_stores_once()
    {
        await CreateWithMemberAsync();
        var draft = new CheckInDraft("same-id", Capacity.Steady, null, null, "circle");

        var first = await Circle.CheckInAsync("m1", draft);
        var again = await Circle.CheckInAsync("m1", draft);

        Assert.Equal(first, again);
        Assert.Single(_store.Events(_circleId), e => e.Type == EventTypes.CheckIn);
    }

    [Fact]
    public async Task Reading_applies_each_entrys_audience()
    {
        await CreateWithMemberAsync();
        await Circle.JoinAsync("m2", "Noor", (await Circle.GetDetailsAsync("f1")).InviteCode!);
        await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Low, null, "for all", "circle"));
        await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Low, null, "for facilitators", "facilitators"));
        await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Low, null, "for me", "private"));

        async Task<string[]> NotesSeenBy(string viewer) =>
            (await Circle.ReadEventsAsync(viewer, 0, 100)).Events
                .Where(e => e.Type == EventTypes.CheckIn)
                .Select(e => JsonDocument.Parse(e.PayloadJson).RootElement.GetProperty("note").GetString()!).ToArray();

        Assert.Equal(["for all", "for facilitators", "for me"], await NotesSeenBy("m1"));
        Assert.Equal(["for all", "for facilitators"], await NotesSeenBy("f1"));
        Assert.Equal(["for all"], await NotesSeenBy("m2"));
    }

    [Fact]
    public async Task Reading_pages_say_when_there_is_more()
    {
        await CreateWithMemberAsync();
        for (var i = 0; i < 5; i++) await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Some, null, null, "circle"));

        var first = await Circle.ReadEventsAsync("m1", 0, 4);
        var rest = await Circle.ReadEventsAsync("m1", first.Events[^1].Seq, 4);

        Assert.True(first.HasMore);
        Assert.False(rest.HasMore);
        Assert.Equal(Enumerable.Range(1, 7).Select(i => (long)i), first.Events.Concat(rest.Events).Select(e => e.Seq));
    }

    [Fact]
    public async Task Observers_get_stored_events_in_order_and_presence_changes()
    {
        await CreateWithMemberAsync();
        var observer = new RecordingObserver();
        await Circle.SubscribeAsync(_grains.CreateObjectReference<ICircleObserver>(observer));

        await Circle.ConnectAsync("m1", "conn-a");
        await Circle.ConnectAsync("m1", "conn-b");
        var r1 = await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Open, null, null, "circle"));
        var r2 = await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Low, null, null, "private"));
        await Circle.DisconnectAsync("m1", "conn-a");
        var stillHere = await Circle.DisconnectAsync("m1", "conn-b");

        await Eventually(() => observer.Events.Count >= 2 && observer.Presence.Count >= 2);
        Assert.Equal([r1.Seq, r2.Seq], observer.Events.Select(e => e.Seq));
        // A second connection of the same person is not a presence change; the last one leaving is.
        Assert.Equal([["m1"], []], observer.Presence);
        Assert.Empty(stillHere);
    }

    [Fact]
    public async Task An_observer_subscribed_by_reference_hears_a_check_in_and_learns_the_last_seq_to_read_from()
    {
        await CreateWithMemberAsync();
        await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Some, null, "before", "circle"));
        var observer = new RecordingObserver();
        // The reference holds the observer weakly: the test keeps it alive for as long as it listens.
        var reference = _grains.CreateObjectReference<ICircleObserver>(observer);

        var lastSeq = await Circle.SubscribeAsync(reference);
        Assert.Equal(3, lastSeq); // created, joined, the first check-in: what a subscriber reads from the log, not hears
        var receipt = await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Steady, null, "after", "circle"));

        await Eventually(() => observer.Events.Count >= 1);
        var heard = Assert.Single(observer.Events);
        Assert.Equal((receipt.EventId, 4L, EventTypes.CheckIn), (heard.EventId, heard.Seq, heard.Type));
        Assert.Equal(lastSeq + 1, heard.Seq);

        await Circle.UnsubscribeAsync(reference);
        await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Steady, null, "unheard", "circle"));
        await Circle.GetDetailsAsync("m1"); // a later turn: anything pushed by the check-in was sent before this answer
        Assert.Single(observer.Events);
        GC.KeepAlive(observer);
    }

    [Fact]
    public async Task A_version_conflict_with_another_host_is_refused_and_the_grain_reloads()
    {
        await CreateWithMemberAsync();
        await using var otherHost = await Host(_store);
        var other = otherHost.Grains.GetGrain<ICircleGrain>(_circleId);
        await other.GetDetailsAsync("m1");

        await Circle.CheckInAsync("m1", new CheckInDraft(null, Capacity.Some, null, "here", "circle"));
        await Assert.ThrowsAsync<InconsistentStateException>(() =>
            other.CheckInAsync("m1", new CheckInDraft(null, Capacity.Some, null, "there", "circle")));
        var retried = await other.CheckInAsync("m1", new CheckInDraft(null, Capacity.Some, null, "there", "circle"));

        Assert.Equal(4, retried.Seq);
        Assert.Equal([1, 2, 3, 4], _store.Events(_circleId).Select(e => e.Seq));
    }

    [Fact]
    public async Task An_idle_circle_is_reloaded_from_storage_but_one_with_observers_stays_active()
    {
        var watchedId = Guid.NewGuid();
        var quietId = Guid.NewGuid();
        var watched = _grains.GetGrain<ICircleGrain>(watchedId);
        var quiet = _grains.GetGrain<ICircleGrain>(quietId);
        var code = (await quiet.CreateAsync("f1", "Fran", "Quiet")).InviteCode!;
        await quiet.JoinAsync("m1", "Mia", code);
        await watched.CreateAsync("f1", "Fran", "Watched");
        var observer = new RecordingObserver();
        await watched.SubscribeAsync(_grains.CreateObjectReference<ICircleObserver>(observer));

        // Every activation idle now is collected, unless it asked to stay (subscribers keep a circle active).
        await _grains.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero, TestContext.Current.CancellationToken);

        var reloaded = await quiet.GetDetailsAsync("m1");
        Assert.Equal(2, _store.Loads(quietId));
        Assert.Equal(["Fran", "Mia"], reloaded.Members.Select(m => m.DisplayName));
        Assert.Equal(2, reloaded.LastSeq);
        await watched.CheckInAsync("f1", new CheckInDraft(null, Capacity.Steady, null, null, "circle"));
        Assert.Equal(1, _store.Loads(watchedId));
        await Eventually(() => observer.Events.Count >= 1);
        Assert.Single(observer.Events);
    }

    private sealed class RecordingObserver : ICircleObserver
    {
        private readonly ConcurrentQueue<CircleEvent> _events = new();
        private readonly ConcurrentQueue<string[]> _presence = new();

        public IReadOnlyList<CircleEvent> Events => _events.ToList();
        public IReadOnlyList<string[]> Presence => _presence.ToList();

        public void OnCircleEvent(CircleEvent circleEvent) => _events.Enqueue(circleEvent);

        public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) => _presence.Enqueue(presentMemberIds.ToArray());
    }
}
