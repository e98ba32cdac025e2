using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Subscriptions;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// This host's adapter between circle grains and SignalR: grains never see the hub. It observes every circle
/// that has a connection on this host and forwards stored events to the groups of their audience, in order.
/// </summary>
/// <remarks>
/// Pushes are handed to SignalR one after another but not awaited one by one. Awaiting a group send waits for its
/// slowest receiver: a client that keeps its connection open but stops reading would, once its buffers fill, hold
/// up every circle's pushes on this host until the transport's send timeout closes it. Handing a push over is
/// synchronous up to each connection's own write queue, and SignalR writes to a connection in the order pushes were
/// handed over, so every connection still hears its circles in order. At most <see cref="MaxPushesInFlight"/> are
/// outstanding; past that the relay waits for the oldest, which bounds the memory a stalled receiver can hold.
/// </remarks>
public sealed class CircleHubRelay(CircleFeed feed, IHubContext<CircleHub> hub, ILogger<CircleHubRelay> logger)
    : BackgroundService, ICircleObserver
{
    /// <summary>
    /// Ten seconds of pushes at the benchmark's 1,000 check-ins a second: the transport's default send timeout
    /// (<see cref="RealtimeOptions.SlowReceiverTimeout"/>) closes a stalled connection before the window fills.
    /// </summary>
    public const int MaxPushesInFlight = 10_000;

    private readonly Dictionary<Guid, int> _watchers = new();
    // Subscribing and unsubscribing take turns, so a late unsubscribe can never undo a newer connection's subscribe.
    private readonly SemaphoreSlim _subscriptions = new(1, 1);
    // The connections on this host of each member of each circle, so a member who leaves stops hearing from it.
    private readonly Dictionary<(Guid CircleId, string MemberId), HashSet<string>> _connections = new();
    // Observers are called on the grain's turn and must not block it; one reader keeps each circle's order.
    private readonly Channel<RelayWork> _outbox =
        Channel.CreateUnbounded<RelayWork>(new UnboundedChannelOptions { SingleReader = true });
    private readonly SemaphoreSlim _pushesInFlight = new(MaxPushesInFlight, MaxPushesInFlight);

    private static readonly Meter Meter = new("BetweenSessions.Groups.Web");
    private static readonly Histogram<double> OutboxWait =
        Meter.CreateHistogram<double>("bsg.relay.wait", "ms", "Time a push waited in the relay's queue after its commit.");
    private static readonly Histogram<double> SendDuration =
        Meter.CreateHistogram<double>("bsg.relay.send.duration", "ms", "Time from handing one push to SignalR until every connection of its groups took it.");

    /// <summary>Subscribes on every join (through this host's <see cref="CircleFeed"/>): it re-attaches at once after a failover.</summary>
    public async Task WatchAsync(Guid circleId)
    {
        await _subscriptions.WaitAsync();
        try
        {
            _watchers[circleId] = _watchers.GetValueOrDefault(circleId) + 1;
            await feed.SubscribeAsync(circleId, this);
        }
        finally
        {
            _subscriptions.Release();
        }
    }

    public async Task UnwatchAsync(Guid circleId)
    {
        await _subscriptions.WaitAsync();
        try
        {
            var left = _watchers.GetValueOrDefault(circleId) - 1;
            if (left > 0)
            {
                _watchers[circleId] = left;
                return;
            }
            _watchers.Remove(circleId);
            await feed.UnsubscribeAsync(circleId, this);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Unsubscribing from circle {CircleId} failed", circleId);
        }
        finally
        {
            _subscriptions.Release();
        }
    }

    /// <summary>Remembers that a member's connection is in a circle's groups (called by JoinCircle).</summary>
    public void Track(Guid circleId, string memberId, string connectionId)
    {
        lock (_connections)
        {
            if (!_connections.TryGetValue((circleId, memberId), out var ids)) _connections[(circleId, memberId)] = ids = [];
            ids.Add(connectionId);
        }
    }

    public void Untrack(Guid circleId, string memberId, string connectionId)
    {
        lock (_connections)
        {
            if (_connections.TryGetValue((circleId, memberId), out var ids) && ids.Remove(connectionId) && ids.Count == 0)
                _connections.Remove((circleId, memberId));
        }
    }

    /// <summary>Takes a member's connections out of every group of the circle; they get nothing more from it.</summary>
    public async Task RemoveFromCircleGroupsAsync(Guid circleId, string memberId, IEnumerable<string> connectionIds)
    {
        foreach (var connectionId in connectionIds)
        {
            foreach (var group in CircleGroups.AnyRole(circleId, memberId))
                await hub.Groups.RemoveFromGroupAsync(connectionId, group);
        }
    }

    public void OnCircleEvent(CircleEvent circleEvent)
    {
        Push(() => hub.Clients.Groups(CircleGroups.Audience(circleEvent))
            .SendAsync("circleEvent", CircleEventWire.ToWire(circleEvent)));
        if (circleEvent.Type == EventTypes.FacilitatorAdded && circleEvent.SubjectMemberId is { } promoted)
        {
            var connections = ConnectionsOf(circleEvent.CircleId, promoted, remove: false);
            if (connections.Length > 0)
                Regroup(() => PromoteAsync(circleEvent.CircleId, promoted, connections));
            return;
        }
        // Someone who left, or whom a facilitator removed (the event's subject).
        var leaver = circleEvent.Type switch
        {
            EventTypes.MemberLeft => circleEvent.MemberId,
            EventTypes.MemberRemoved => circleEvent.SubjectMemberId,
            _ => null,
        };
        if (leaver is null) return;
        // Queued after the event's push itself, so the leaver's own apps hear that they left, then nothing more.
        var leaving = ConnectionsOf(circleEvent.CircleId, leaver, remove: true);
        if (leaving.Length > 0)
            Regroup(() => RemoveFromCircleGroupsAsync(circleEvent.CircleId, leaver, leaving));
    }

    private string[] ConnectionsOf(Guid circleId, string memberId, bool remove)
    {
        lock (_connections)
        {
            if (!_connections.TryGetValue((circleId, memberId), out var ids)) return [];
            if (remove) _connections.Remove((circleId, memberId));
            return ids.ToArray();
        }
    }

    /// <summary>A new co-facilitator's open connections start hearing the facilitators' entries at once.</summary>
    private async Task PromoteAsync(Guid circleId, string memberId, IEnumerable<string> connectionIds)
    {
        foreach (var connectionId in connectionIds)
        {
            // One outbox item: no push runs between the two steps, so no entry arrives twice or not at all.
            await hub.Groups.AddToGroupAsync(connectionId, CircleGroups.Facilitators(circleId));
            await hub.Groups.RemoveFromGroupAsync(connectionId, CircleGroups.NotFacilitator(circleId, memberId));
        }
    }

    /// <summary>
    /// Sends the tombstone to the groups that received the entry (its former author and subject included), so every
    /// app holding it can drop it; the tombstone itself names nobody.
    /// </summary>
    public void OnEntryErased(ErasedEntry erased)
    {
        var tombstone = erased.Tombstone;
        var formerAudience = CircleGroups.Audience(tombstone with { MemberId = erased.FormerAuthorId, SubjectMemberId = erased.FormerSubjectId });
        Push(() => hub.Clients.Groups(formerAudience).SendAsync("circleEvent", CircleEventWire.ToWire(tombstone)));
    }

    public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) =>
        Push(() => hub.Clients.Group(CircleGroups.Everyone(circleId))
            .SendAsync("presence", new { circleId, memberIds = presentMemberIds }));

    private void Push(Func<Task> send) => _outbox.Writer.TryWrite(new RelayWork(send, IsRegroup: false, Stopwatch.GetTimestamp()));

    /// <summary>
    /// A change of groups is awaited before anything queued after it is handed over (it completes at once for this
    /// host's connections): the pushes before it reach the old groups, the pushes after it the new ones.
    /// </summary>
    private void Regroup(Func<Task> change) => _outbox.Writer.TryWrite(new RelayWork(change, IsRegroup: true, Stopwatch.GetTimestamp()));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var work in _outbox.Reader.ReadAllAsync(stoppingToken))
        {
            var started = Stopwatch.GetTimestamp();
            OutboxWait.Record(Stopwatch.GetElapsedTime(work.QueuedAt, started).TotalMilliseconds);
            if (work.IsRegroup)
            {
                try { await work.Run(); }
                catch (Exception ex) { logger.LogWarning(ex, "Changing a connection's circle groups failed."); }
                continue;
            }
            await _pushesInFlight.WaitAsync(stoppingToken);
            Task push;
            try
            {
                push = work.Run();
            }
            catch (Exception ex)
            {
                _pushesInFlight.Release();
                PushFailed(ex);
                continue;
            }
            if (push.IsCompletedSuccessfully) Completed(started);
            else _ = CompleteAsync(push, started);
        }
    }

    private async Task CompleteAsync(Task push, long started)
    {
        try
        {
            await push;
            Completed(started);
        }
        catch (Exception ex)
        {
            _pushesInFlight.Release();
            PushFailed(ex);
        }
    }

    private void Completed(long started)
    {
        _pushesInFlight.Release();
        SendDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
    }

    private void PushFailed(Exception ex) =>
        logger.LogWarning(ex, "A real-time push failed; the receivers will catch up on their next JoinCircle.");

    private readonly record struct RelayWork(Func<Task> Run, bool IsRegroup, long QueuedAt);
}
