using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;

namespace BetweenSessions.Groups.Data.Tests;

/// <summary>
/// Writes a circle the way its grain does: remembers the version and seq it last stored, and states the open round
/// (if any) in every commit.
/// </summary>
internal sealed class CircleWriter(ICircleStore store, string name)
{
    public static readonly DateTimeOffset Created = new(2026, 3, 9, 18, 30, 0, TimeSpan.FromHours(1));

    /// <summary>Event types by their wire names, so these tests do not depend on the domain's growing list.</summary>
    public const string Acknowledged = "acknowledged", RoundStarted = "round-started", RoundEnded = "round-ended";

    public Guid Id { get; } = Guid.NewGuid();
    public string Name { get; } = name;
    public string InviteCode { get; } = Domain.InviteCode.New();
    public long Version { get; private set; }
    public long LastSeq { get; private set; }
    public OpenRound? Round { get; private set; }

    public static CircleMember Person(string displayName, CircleRole role = CircleRole.Member) =>
        new("user-" + Guid.NewGuid().ToString("N")[..12], displayName, role, Created.AddMinutes(1));

    public async Task<CircleWriter> CreateAsync(CircleMember facilitator, OpenRound? round = null)
    {
        var commit = CreateCommit(facilitator) with { OpenRound = round };
        Stored(commit, await store.CommitAsync(commit));
        return this;
    }

    public CircleCommit CreateCommit(CircleMember facilitator) =>
        new(Id, 0, Name, InviteCode, Created, 1, [facilitator],
            [Event(1, facilitator, EventTypes.CircleCreated, Visibility.Circle, null, null)]);

    public async Task<CircleEvent> JoinAsync(CircleMember member) =>
        await AppendAsync(member, EventTypes.MemberJoined, Visibility.Circle, null, [member]);

    public Task<CircleEvent> CheckInAsync(CircleMember author, Visibility visibility = Visibility.Circle, string? clientEventId = null) =>
        AppendAsync(author, EventTypes.CheckIn, visibility, clientEventId, []);

    /// <summary>An entry that answers <paramref name="subjectId"/>, such as an acknowledgement of their check-in.</summary>
    public Task<CircleEvent> AnswerAsync(CircleMember author, string subjectId, Visibility visibility) =>
        AppendAsync(author, Acknowledged, visibility, null, [], subjectId);

    public Task<CircleEvent> StartRoundAsync(CircleMember facilitator, OpenRound round) =>
        AppendAsync(facilitator, RoundStarted, Visibility.Circle, null, [], round: round);

    public Task<CircleEvent> EndRoundAsync(CircleMember facilitator) =>
        AppendAsync(facilitator, RoundEnded, Visibility.Circle, null, [], round: null, changesRound: true);

    /// <summary>Any entry, with its own type and payload (JSON), as the grain would store it.</summary>
    public Task<CircleEvent> EntryAsync(
        CircleMember author, string type, string payloadJson, Visibility visibility = Visibility.Circle, string? subjectId = null,
        string? clientEventId = null) =>
        AppendAsync(author, type, visibility, clientEventId, [], subjectId, payloadJson: payloadJson);

    /// <summary>The next commit as the grain would build it, without storing it.</summary>
    public CircleCommit NextCommit(
        CircleMember author, Visibility visibility = Visibility.Circle, string? clientEventId = null,
        IReadOnlyList<CircleMember>? upsert = null, long? seq = null, long? expectedVersion = null)
    {
        var next = seq ?? LastSeq + 1;
        return new CircleCommit(Id, expectedVersion ?? Version, Name, InviteCode, Created, next, upsert ?? [],
            [Event(next, author, EventTypes.CheckIn, visibility, clientEventId, null)], Round);
    }

    /// <summary>
    /// One commit of several check-ins, as the grain builds it from what a circle gathered while its previous commit
    /// was being stored: consecutive seqs, one version bump.
    /// </summary>
    public CircleCommit NextEntries(params (CircleMember Author, string? ClientEventId)[] entries)
    {
        var events = entries.Select((e, i) => Event(LastSeq + 1 + i, e.Author, EventTypes.CheckIn, Visibility.Circle, e.ClientEventId, null)).ToList();
        return new CircleCommit(Id, Version, Name, InviteCode, Created, LastSeq + events.Count, [], events, Round);
    }

    /// <summary>Records that <paramref name="commit"/> was stored as <paramref name="version"/>.</summary>
    public void Stored(CircleCommit commit, long version)
    {
        Version = version;
        LastSeq = commit.LastSeq;
        Round = commit.OpenRound;
    }

    private async Task<CircleEvent> AppendAsync(
        CircleMember author, string type, Visibility visibility, string? clientEventId, IReadOnlyList<CircleMember> upsert,
        string? subjectId = null, OpenRound? round = null, bool changesRound = false, string? payloadJson = null)
    {
        var seq = LastSeq + 1;
        var circleEvent = Event(seq, author, type, visibility, clientEventId, subjectId);
        if (payloadJson is not null) circleEvent = circleEvent with { PayloadJson = payloadJson };
        var openRound = round ?? (changesRound ? null : Round);
        var commit = new CircleCommit(Id, Version, Name, InviteCode, Created, seq, upsert, [circleEvent], openRound);
        Stored(commit, await store.CommitAsync(commit));
        return circleEvent;
    }

    private CircleEvent Event(
        long seq, CircleMember author, string type, Visibility visibility, string? clientEventId, string? subjectId) =>
        new(Id, seq, Guid.NewGuid(), type, Created.AddMinutes(seq), author.MemberId, author.DisplayName, visibility,
            clientEventId, $$"""{"capacity":"steady","note":"entry {{seq}}"}""", subjectId);
}
