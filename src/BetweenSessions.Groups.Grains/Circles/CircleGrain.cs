using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Circles;

public sealed class CircleGrain(ICircleStore store, TimeProvider clock, ILogger<CircleGrain> logger)
    : Grain, ICircleGrain
{
    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web);

    private readonly ObserverManager<ICircleObserver> _observers = new(logger);
    private readonly Dictionary<string, HashSet<string>> _connections = new(StringComparer.Ordinal);
    private CircleSnapshot? _circle;

    private Guid CircleId => GetPrimaryKey();

    protected internal override bool KeepAliveWhenIdle => _observers.Count > 0;

    public override async Task OnActivateAsync(CancellationToken ct) =>
        _circle = await store.LoadAsync(CircleId, ct);

    public async Task<CircleDetails> CreateAsync(string facilitatorId, string facilitatorDisplayName, string name)
    {
        if (_circle is not null) throw new InvalidOperationException("This circle already exists.");
        var validName = CircleNaming.ValidName(name);
        var displayName = CircleNaming.ValidDisplayName(facilitatorDisplayName);
        var now = clock.GetUtcNow();
        var facilitator = new CircleMember(facilitatorId, displayName, CircleRole.Facilitator, now);
        var created = NewEvent(1, EventTypes.CircleCreated, facilitator, Visibility.Circle, null, new { name = validName }, now);
        var commit = new CircleCommit(CircleId, 0, validName, InviteCode.New(), now, 1, [facilitator], [created]);
        var version = await store.CommitAsync(commit);
        _circle = new CircleSnapshot(CircleId, validName, commit.InviteCode, now, 1, [facilitator], version);
        _observers.Notify(o => o.OnCircleEvent(created));
        return Details(facilitatorId);
    }

    public async Task<CircleDetails> JoinAsync(string memberId, string displayName, string inviteCode)
    {
        var circle = Existing();
        if (FindMember(memberId) is not null) return Details(memberId);
        if (InviteCode.Normalize(inviteCode) != circle.InviteCode)
            throw new CircleNotFoundException("That invite code does not match a circle. Check it with your facilitator.");
        var member = new CircleMember(memberId, CircleNaming.ValidDisplayName(displayName), CircleRole.Member, clock.GetUtcNow());
        await AppendAsync(member, EventTypes.MemberJoined, Visibility.Circle, null, new { }, [member]);
        return Details(memberId);
    }

    public Task<CircleDetails> GetDetailsAsync(string viewerId)
    {
        RequireMember(viewerId);
        return Task.FromResult(Details(viewerId));
    }

    public async Task<EventReceipt> CheckInAsync(string memberId, CheckInDraft draft)
    {
        var member = RequireMember(memberId);
        var checkIn = draft.Validate();
        var payload = new { capacity = checkIn.Capacity, feelings = checkIn.Feelings, note = checkIn.Note };
        return await AppendAsync(member, EventTypes.CheckIn, checkIn.Visibility, checkIn.ClientEventId, payload, []);
    }

    public async Task<EventPage> ReadEventsAsync(string viewerId, long afterSeq, int max)
    {
        var viewer = RequireMember(viewerId);
        var pageSize = Math.Clamp(max, 1, Limits.EventPage);
        // One extra row says whether the caller should ask again, without counting the whole log.
        var events = await store.ReadEventsAsync(CircleId, new EventViewer(viewerId, viewer.Role), Math.Max(0, afterSeq), pageSize + 1);
        return events.Count > pageSize ? new EventPage(events.Take(pageSize).ToList(), true) : new EventPage(events, false);
    }

    public Task<IReadOnlyList<string>> ConnectAsync(string memberId, string connectionId)
    {
        RequireMember(memberId);
        if (!_connections.TryGetValue(memberId, out var connections)) _connections[memberId] = connections = [];
        if (connections.Add(connectionId) && connections.Count == 1) NotifyPresence();
        return Task.FromResult(PresentMemberIds());
    }

    public Task<IReadOnlyList<string>> DisconnectAsync(string memberId, string connectionId)
    {
        if (_connections.TryGetValue(memberId, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
        {
            _connections.Remove(memberId);
            NotifyPresence();
        }
        return Task.FromResult(PresentMemberIds());
    }

    public Task SubscribeAsync(ICircleObserver observer)
    {
        Existing();
        _observers.Subscribe(observer);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(ICircleObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>Stores one event (and any member changes) and only then tells observers: nothing is pushed that could be lost.</summary>
    private async Task<EventReceipt> AppendAsync(
        CircleMember author, string type, Visibility visibility, string? clientEventId, object payload,
        IReadOnlyList<CircleMember> upsertMembers)
    {
        var circle = Existing();
        if (clientEventId is not null)
        {
            var earlier = await store.FindByClientEventIdAsync(CircleId, author.MemberId, clientEventId);
            if (earlier is not null) return earlier;
        }

        var seq = circle.LastSeq + 1;
        var circleEvent = NewEvent(seq, type, author, visibility, clientEventId, payload, clock.GetUtcNow());
        var commit = new CircleCommit(CircleId, circle.Version, circle.Name, circle.InviteCode, circle.CreatedAt, seq,
            upsertMembers, [circleEvent]);
        var version = await store.CommitAsync(commit);

        var members = upsertMembers.Count == 0
            ? circle.Members
            : circle.Members.Where(m => upsertMembers.All(u => u.MemberId != m.MemberId)).Concat(upsertMembers).ToList();
        _circle = circle with { LastSeq = seq, Version = version, Members = members };
        _observers.Notify(o => o.OnCircleEvent(circleEvent));
        logger.LogDebug("Circle {CircleId} stored {Type} at seq {Seq}", CircleId, type, seq);
        return new EventReceipt(circleEvent.EventId, seq);
    }

    private CircleEvent NewEvent(long seq, string type, CircleMember author, Visibility visibility, string? clientEventId,
        object payload, DateTimeOffset at) =>
        new(CircleId, seq, Guid.NewGuid(), type, at, author.MemberId, author.DisplayName, visibility, clientEventId,
            JsonSerializer.Serialize(payload, PayloadJson));

    private CircleSnapshot Existing() =>
        _circle ?? throw new CircleNotFoundException("There is no such circle.");

    private CircleMember? FindMember(string memberId) =>
        Existing().Members.FirstOrDefault(m => m.MemberId == memberId);

    private CircleMember RequireMember(string memberId) =>
        FindMember(memberId) ?? throw new CircleAccessDeniedException("You are not a member of this circle.");

    private CircleDetails Details(string viewerId)
    {
        var circle = Existing();
        var role = FindMember(viewerId)?.Role ?? CircleRole.Member;
        return new CircleDetails(circle.CircleId, circle.Name, role,
            role == CircleRole.Facilitator ? circle.InviteCode : null,
            circle.LastSeq, StableOrder(circle.Members), PresentMemberIds());
    }

    /// <summary>Alphabetical, never by activity: nothing built on this list can rank people.</summary>
    private static List<CircleMember> StableOrder(IEnumerable<CircleMember> members) =>
        members.OrderBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase).ThenBy(m => m.MemberId, StringComparer.Ordinal).ToList();

    private IReadOnlyList<string> PresentMemberIds() =>
        StableOrder(Existing().Members.Where(m => _connections.ContainsKey(m.MemberId))).Select(m => m.MemberId).ToList();

    private void NotifyPresence()
    {
        var present = PresentMemberIds();
        _observers.Notify(o => o.OnPresenceChanged(CircleId, present));
    }
}
