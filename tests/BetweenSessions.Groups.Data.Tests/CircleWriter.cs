using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;

namespace BetweenSessions.Groups.Data.Tests;

/// <summary>Writes a circle the way its grain does: remembers the version and seq it last stored.</summary>
internal sealed class CircleWriter(ICircleStore store, string name)
{
    public static readonly DateTimeOffset Created = new(2026, 3, 9, 18, 30, 0, TimeSpan.FromHours(1));

    public Guid Id { get; } = Guid.NewGuid();
    public string Name { get; } = name;
    public string InviteCode { get; } = Domain.InviteCode.New();
    public long Version { get; private set; }
    public long LastSeq { get; private set; }

    public static CircleMember Person(string displayName, CircleRole role = CircleRole.Member) =>
        new("user-" + Guid.NewGuid().ToString("N")[..12], displayName, role, Created.AddMinutes(1));

    public async Task<CircleWriter> CreateAsync(CircleMember facilitator)
    {
        Version = await store.CommitAsync(CreateCommit(facilitator));
        LastSeq = 1;
        return this;
    }

    public CircleCommit CreateCommit(CircleMember facilitator) =>
        new(Id, 0, Name, InviteCode, Created, 1, [facilitator],
            [Event(1, facilitator, EventTypes.CircleCreated, Visibility.Circle, null)]);

    public async Task<CircleEvent> JoinAsync(CircleMember member) =>
        await AppendAsync(member, EventTypes.MemberJoined, Visibility.Circle, null, [member]);

    public Task<CircleEvent> CheckInAsync(CircleMember author, Visibility visibility = Visibility.Circle, string? clientEventId = null) =>
        AppendAsync(author, EventTypes.CheckIn, visibility, clientEventId, []);

    /// <summary>The next commit as the grain would build it, without storing it.</summary>
    public CircleCommit NextCommit(
        CircleMember author, Visibility visibility = Visibility.Circle, string? clientEventId = null,
        IReadOnlyList<CircleMember>? upsert = null, long? seq = null, long? expectedVersion = null)
    {
        var next = seq ?? LastSeq + 1;
        return new CircleCommit(Id, expectedVersion ?? Version, Name, InviteCode, Created, next, upsert ?? [],
            [Event(next, author, EventTypes.CheckIn, visibility, clientEventId)]);
    }

    /// <summary>Records that <paramref name="commit"/> was stored as <paramref name="version"/>.</summary>
    public void Stored(CircleCommit commit, long version)
    {
        Version = version;
        LastSeq = commit.LastSeq;
    }

    private async Task<CircleEvent> AppendAsync(
        CircleMember author, string type, Visibility visibility, string? clientEventId, IReadOnlyList<CircleMember> upsert)
    {
        var seq = LastSeq + 1;
        var circleEvent = Event(seq, author, type, visibility, clientEventId);
        var commit = new CircleCommit(Id, Version, Name, InviteCode, Created, seq, upsert, [circleEvent]);
        Stored(commit, await store.CommitAsync(commit));
        return circleEvent;
    }

    private CircleEvent Event(long seq, CircleMember author, string type, Visibility visibility, string? clientEventId) =>
        new(Id, seq, Guid.NewGuid(), type, Created.AddMinutes(seq), author.MemberId, author.DisplayName, visibility,
            clientEventId, $$"""{"capacity":"steady","note":"entry {{seq}}"}""");
}
