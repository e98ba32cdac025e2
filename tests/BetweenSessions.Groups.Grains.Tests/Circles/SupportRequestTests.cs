using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>
/// A request for support after it is sent, in the grain with a fake clock: a later note joins it, a request sent by
/// mistake can be taken back for a short while, and an acknowledgement or a withdrawal clears the facilitators' nudges.
/// </summary>
public sealed class SupportRequestTests : IAsyncLifetime
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryCircleStore _store = new();
    private readonly Guid _circleId = Guid.NewGuid();
    private GroupsGrainHost _host = default!;
    private ICircleGrain Circle => _host.Grains.GetGrain<ICircleGrain>(_circleId);

    public async ValueTask InitializeAsync()
    {
        _host = await CircleTestHost.StartAsync(_store, _clock);
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        await Circle.JoinAsync("m1", "Mia", created.InviteCode!);
        await Circle.JoinAsync("m2", "Bo", created.InviteCode!);
        await Circle.AddCoFacilitatorAsync("f1", new(Id(), "m2"));
    }

    public async ValueTask DisposeAsync() => await _host.DisposeAsync();

    private static string Id() => Guid.NewGuid().ToString("N");

    private async Task<int> SupportNudges(string facilitator) =>
        (await _host.Grains.GetGrain<INudgeGrain>(facilitator).ListAsync()).Count(n => n.Kind == NudgeKinds.Support);

    private List<CircleEvent> Stored(string type) => _store.Events(_circleId).Where(e => e.Type == type).ToList();

    [Fact]
    public async Task A_later_note_joins_the_request_for_the_facilitators_alone_and_raises_no_second_alert()
    {
        var request = await Circle.RequestSupportAsync("m1", new(Id(), null));

        var note = await Circle.AddSupportNoteAsync("m1", new("note-1", request.EventId, "It is about tonight"));
        Assert.Equal(note, await Circle.AddSupportNoteAsync("m1", new("note-1", request.EventId, "It is about tonight")));

        var stored = Assert.Single(Stored(EventTypes.SupportNoteAdded));
        Assert.Equal((Visibility.Facilitators, "m1"), (stored.Visibility, stored.MemberId));
        Assert.Contains(request.EventId.ToString(), stored.PayloadJson);
        Assert.Single(Stored(EventTypes.SupportRequested));
        Assert.Equal(1, await SupportNudges("f1")); // told once, for the request
        Assert.DoesNotContain((await Circle.ReadEventsAsync("m1", 0, 100)).Events.Concat((await Circle.ReadEventsAsync("f1", 0, 100)).Events),
            e => e.Type == EventTypes.SupportRequested && e.EventId != request.EventId);
        // Bo facilitates too and reads it; nobody else could.
        Assert.Contains((await Circle.ReadEventsAsync("m2", 0, 100)).Events, e => e.EventId == note.EventId);
    }

    [Fact]
    public async Task Only_the_person_who_asked_adds_to_or_withdraws_a_request_and_an_empty_note_is_refused()
    {
        var request = await Circle.RequestSupportAsync("m1", new(Id(), null));
        var commits = _store.Commits;

        var notTheirs = await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.AddSupportNoteAsync("m2", new(Id(), request.EventId, "Hi")));
        Assert.Equal("There is no such request for support in this circle.", notTheirs.Message);
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.WithdrawSupportAsync("f1", new(Id(), request.EventId)));
        var empty = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AddSupportNoteAsync("m1", new(Id(), request.EventId, "  ")));
        Assert.Contains("note", empty.Errors.Keys);
        var tooLong = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle.AddSupportNoteAsync("m1", new(Id(), request.EventId, new string('x', Limits.Note + 1))));
        Assert.Contains("note", tooLong.Errors.Keys);
        var win = await Circle.ShareWinAsync("m1", new(null, "A win", "circle"));
        await Assert.ThrowsAsync<CircleNotFoundException>(() => Circle.AddSupportNoteAsync("m1", new(Id(), win.EventId, "Hi")));

        Assert.Equal(commits + 1, _store.Commits); // the win alone
    }

    [Fact]
    public async Task A_request_sent_by_mistake_is_withdrawn_within_the_window_and_leaves_every_facilitators_nudges()
    {
        var request = await Circle.RequestSupportAsync("m1", new(Id(), null));
        Assert.Equal((1, 1), (await SupportNudges("f1"), await SupportNudges("m2")));

        _clock.Advance(SupportRequests.WithdrawWindow - TimeSpan.FromMinutes(1));
        var withdrawn = await Circle.WithdrawSupportAsync("m1", new("undo", request.EventId));

        Assert.Equal(withdrawn, await Circle.WithdrawSupportAsync("m1", new("undo", request.EventId)));
        Assert.Single(Stored(EventTypes.SupportWithdrawn));
        Assert.Equal((0, 0), (await SupportNudges("f1"), await SupportNudges("m2")));
        // Withdrawn is final: another withdrawal or a note is refused with a way forward.
        var again = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.WithdrawSupportAsync("m1", new(Id(), request.EventId)));
        Assert.Contains("ask again", again.Message);
        await Assert.ThrowsAsync<DomainValidationException>(() => Circle.AddSupportNoteAsync("m1", new(Id(), request.EventId, "Hi")));
    }

    [Fact]
    public async Task After_the_window_a_request_stays_and_a_note_is_the_way_to_add_to_it()
    {
        var request = await Circle.RequestSupportAsync("m1", new(Id(), null));
        _clock.Advance(SupportRequests.WithdrawWindow + TimeSpan.FromSeconds(1));

        var late = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.WithdrawSupportAsync("m1", new(Id(), request.EventId)));

        Assert.Contains("add a note", late.Message);
        Assert.Empty(Stored(EventTypes.SupportWithdrawn));
        Assert.Equal(1, await SupportNudges("f1"));
        await Circle.AddSupportNoteAsync("m1", new(Id(), request.EventId, "I am all right now"));
    }

    [Fact]
    public async Task Acknowledging_clears_every_facilitators_nudge_and_a_note_added_since_is_acknowledged_anew()
    {
        var request = await Circle.RequestSupportAsync("m1", new(Id(), null));
        var first = await Circle.AcknowledgeAlertAsync("f1", new(Id(), request.EventId));
        Assert.Equal((0, 0), (await SupportNudges("f1"), await SupportNudges("m2")));
        Assert.Equal(first, await Circle.AcknowledgeAlertAsync("m2", new(Id(), request.EventId)));

        await Circle.AddSupportNoteAsync("m1", new(Id(), request.EventId, "It got worse"));
        var second = await Circle.AcknowledgeAlertAsync("m2", new(Id(), request.EventId));

        Assert.NotEqual(first, second);
        Assert.Equal(["f1", "m2"], Stored(EventTypes.AlertAcknowledged).Select(a => a.MemberId));
        // And only once more: a third press hears of the second.
        Assert.Equal(second, await Circle.AcknowledgeAlertAsync("f1", new(Id(), request.EventId)));
        await using var fresh = await CircleTestHost.StartAsync(_store, _clock);
        Assert.Equal(second, await fresh.Grains.GetGrain<ICircleGrain>(_circleId).AcknowledgeAlertAsync("f1", new(Id(), request.EventId)));
    }
}
