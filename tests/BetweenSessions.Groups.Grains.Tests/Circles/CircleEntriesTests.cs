using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>
/// The entries beyond check-ins: wins, acknowledgements, commitments, practice, bringing to session, reflections,
/// rounds and support. A facilitator (f), two members (m1, m2), and what each of them can see.
/// </summary>
public sealed class CircleEntriesTests : IAsyncLifetime
{
    private readonly InMemoryCircleStore _store = new();
    private GroupsGrainHost _services = default!;
    private ICircleGrain _circle = default!;

    public async ValueTask InitializeAsync()
    {
        _services = await CircleTestHost.StartAsync(_store);
        _circle = _services.Grains.GetGrain<ICircleGrain>(Guid.NewGuid());
        var code = (await _circle.CreateAsync("f", "Fran", "Group")).InviteCode!;
        await _circle.JoinAsync("m1", "Mia", code);
        await _circle.JoinAsync("m2", "Noor", code);
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<string[]> TypesSeenBy(string viewer, long afterSeq = 3) =>
        (await _circle.ReadEventsAsync(viewer, afterSeq, 200)).Events.Select(e => e.Type).ToArray();

    private async Task<JsonElement> PayloadOf(EventReceipt receipt) =>
        JsonDocument.Parse((await _store.FindEventAsync((await _circle.GetDetailsAsync("f")).CircleId, receipt.EventId))!.PayloadJson).RootElement;

    [Fact]
    public async Task An_acknowledgement_takes_the_audience_of_what_it_answers_and_its_author_always_sees_it()
    {
        var forFacilitators = await _circle.ShareWinAsync("m1", new ShareWinDraft(null, "Asked for help", "facilitators"));

        await _circle.AcknowledgeAsync("f", new AcknowledgeDraft(null, forFacilitators.EventId, AcknowledgementKinds.GladYouShared));

        Assert.Equal([EventTypes.WinShared, EventTypes.Acknowledged], await TypesSeenBy("m1"));
        Assert.Empty(await TypesSeenBy("m2"));
        // Someone who cannot see the entry cannot learn that it exists by answering it.
        var hidden = await Assert.ThrowsAsync<CircleNotFoundException>(() =>
            _circle.AcknowledgeAsync("m2", new AcknowledgeDraft(null, forFacilitators.EventId, AcknowledgementKinds.WithYou)));
        Assert.Equal("There is no such entry in this circle.", hidden.Message);
    }

    [Fact]
    public async Task Only_shared_entries_can_be_acknowledged_and_only_with_the_known_kinds()
    {
        var joined = (await _circle.ReadEventsAsync("f", 2, 1)).Events.Single();
        var win = await _circle.ShareWinAsync("m1", new ShareWinDraft(null, "Slept well", "circle"));

        await Assert.ThrowsAsync<DomainValidationException>(() =>
            _circle.AcknowledgeAsync("m2", new AcknowledgeDraft(null, joined.EventId, AcknowledgementKinds.WithYou)));
        var badKind = await Assert.ThrowsAsync<DomainValidationException>(() =>
            _circle.AcknowledgeAsync("m2", new AcknowledgeDraft(null, win.EventId, "5-stars")));
        Assert.Contains("kind", badKind.Errors.Keys);
    }

    [Fact]
    public async Task Peers_join_a_commitment_and_log_practice_with_forgiving_outcomes()
    {
        var made = await _circle.MakeCommitmentAsync("m1", new MakeCommitmentDraft(null, "Three slow breaths", "after brushing my teeth", "just three", "circle"));
        var commitmentId = (await PayloadOf(made)).GetProperty("commitmentId").GetGuid();

        var notYet = await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            _circle.LogPracticeAsync("m2", new LogPracticeDraft(null, commitmentId, PracticeOutcomes.Practised, null)));
        await _circle.JoinCommitmentAsync("m2", new JoinCommitmentDraft(null, commitmentId));
        var rested = await _circle.LogPracticeAsync("m2", new LogPracticeDraft(null, commitmentId, PracticeOutcomes.Rested, "Needed sleep"));
        await _circle.LogPracticeAsync("m1", new LogPracticeDraft(null, commitmentId, PracticeOutcomes.LetGo, null));

        Assert.Contains("Join this commitment", notYet.Message);
        Assert.Equal("rested", (await PayloadOf(rested)).GetProperty("outcome").GetString());
        Assert.Equal([EventTypes.CommitmentMade, EventTypes.CommitmentJoined, EventTypes.PracticeLogged, EventTypes.PracticeLogged],
            await TypesSeenBy("m1"));
        await Assert.ThrowsAsync<DomainValidationException>(() =>
            _circle.JoinCommitmentAsync("m2", new JoinCommitmentDraft(null, commitmentId)));
        await Assert.ThrowsAsync<DomainValidationException>(() =>
            _circle.LogPracticeAsync("m1", new LogPracticeDraft(null, commitmentId, "failed", null)));
    }

    [Fact]
    public async Task A_private_commitment_cannot_be_joined_by_anyone_else()
    {
        var made = await _circle.MakeCommitmentAsync("m1", new MakeCommitmentDraft(null, "Walk", "lunch", null, "private"));
        var commitmentId = (await PayloadOf(made)).GetProperty("commitmentId").GetGuid();

        await Assert.ThrowsAsync<CircleNotFoundException>(() => _circle.JoinCommitmentAsync("m2", new JoinCommitmentDraft(null, commitmentId)));
        await Assert.ThrowsAsync<CircleNotFoundException>(() => _circle.JoinCommitmentAsync("f", new JoinCommitmentDraft(null, commitmentId)));
    }

    [Fact]
    public async Task A_joined_facilitators_only_commitment_is_seen_by_its_owner_and_the_facilitators_only()
    {
        var made = await _circle.MakeCommitmentAsync("m1", new MakeCommitmentDraft(null, "Call my sister", "Sunday", null, "facilitators"));
        var commitmentId = (await PayloadOf(made)).GetProperty("commitmentId").GetGuid();

        await _circle.JoinCommitmentAsync("f", new JoinCommitmentDraft(null, commitmentId));

        Assert.Equal([EventTypes.CommitmentMade, EventTypes.CommitmentJoined], await TypesSeenBy("m1"));
        Assert.Empty(await TypesSeenBy("m2"));
    }

    [Fact]
    public async Task Rounds_are_run_by_facilitators_one_at_a_time_and_passing_is_an_answer()
    {
        var notAllowed = await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            _circle.StartRoundAsync("m1", new StartRoundDraft(null, "How are you arriving?")));
        var started = await _circle.StartRoundAsync("f", new StartRoundDraft(null, "How are you arriving?"));
        var roundId = (await PayloadOf(started)).GetProperty("roundId").GetGuid();
        await Assert.ThrowsAsync<DomainValidationException>(() => _circle.StartRoundAsync("f", new StartRoundDraft(null, "Another")));

        Assert.Equal(roundId, (await _circle.GetDetailsAsync("m1")).OpenRound?.RoundId);
        var passed = await _circle.RespondToRoundAsync("m1", new RespondToRoundDraft(null, roundId, null, null, Pass: true));
        await _circle.RespondToRoundAsync("m2", new RespondToRoundDraft(null, roundId, Capacity.Low, "Tired but here", Pass: false));
        var empty = await Assert.ThrowsAsync<DomainValidationException>(() =>
            _circle.RespondToRoundAsync("m2", new RespondToRoundDraft(null, roundId, null, null, Pass: false)));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => _circle.EndRoundAsync("m1", new EndRoundDraft(null, roundId)));
        await _circle.EndRoundAsync("f", new EndRoundDraft(null, roundId));
        var late = await Assert.ThrowsAsync<DomainValidationException>(() =>
            _circle.RespondToRoundAsync("m2", new RespondToRoundDraft(null, roundId, Capacity.Some, null, Pass: false)));

        Assert.Equal("Only the circle's facilitators can do this.", notAllowed.Message);
        Assert.True((await PayloadOf(passed)).GetProperty("pass").GetBoolean());
        Assert.Contains("passing is a full answer", empty.Message);
        Assert.Contains("not open", late.Message);
        Assert.Null((await _circle.GetDetailsAsync("m1")).OpenRound);
    }

    [Fact]
    public async Task An_open_round_survives_the_circle_being_reloaded()
    {
        await _circle.StartRoundAsync("f", new StartRoundDraft(null, "One word for today?"));
        await using var otherHost = await CircleTestHost.StartAsync(_store);

        var reloaded = await otherHost.Grains.GetGrain<ICircleGrain>((await _circle.GetDetailsAsync("f")).CircleId)
            .GetDetailsAsync("m2");

        Assert.Equal("One word for today?", reloaded.OpenRound?.Prompt);
    }

    [Fact]
    public async Task A_support_request_reaches_the_facilitators_and_nobody_else()
    {
        await _circle.RequestSupportAsync("m1", new RequestSupportDraft(null, "Struggling tonight"));

        Assert.Equal([EventTypes.SupportRequested], await TypesSeenBy("f"));
        Assert.Equal([EventTypes.SupportRequested], await TypesSeenBy("m1"));
        Assert.Empty(await TypesSeenBy("m2"));
    }

    [Fact]
    public async Task Reflections_and_things_to_bring_keep_the_audience_their_author_chose()
    {
        await _circle.ReflectAsync("m1", new ReflectDraft(null, "Being heard", null, null, "private"));
        await _circle.ReflectAsync("m1", new ReflectDraft(null, null, null, null, "circle"));
        await _circle.BringToSessionAsync("m1", new BringToSessionDraft(null, "My sleep", "facilitators"));

        Assert.Equal([EventTypes.Reflected, EventTypes.Reflected, EventTypes.BroughtToSession], await TypesSeenBy("m1"));
        Assert.Equal([EventTypes.Reflected, EventTypes.BroughtToSession], await TypesSeenBy("f"));
        Assert.Equal([EventTypes.Reflected], await TypesSeenBy("m2"));
        await Assert.ThrowsAsync<DomainValidationException>(() =>
            _circle.BringToSessionAsync("m1", new BringToSessionDraft(null, " ", "circle")));
    }

    [Fact]
    public async Task Every_write_is_idempotent_by_client_event_id_including_facilitator_ones()
    {
        var start = new StartRoundDraft("round-1", "Arriving");
        var first = await _circle.StartRoundAsync("f", start);
        var again = await _circle.StartRoundAsync("f", start);
        var win = new ShareWinDraft("win-1", "Cooked dinner", "circle");

        Assert.Equal(first, again);
        Assert.Equal(await _circle.ShareWinAsync("m1", win), await _circle.ShareWinAsync("m1", win));
        Assert.Equal([EventTypes.RoundStarted, EventTypes.WinShared], await TypesSeenBy("m2"));
    }
}
