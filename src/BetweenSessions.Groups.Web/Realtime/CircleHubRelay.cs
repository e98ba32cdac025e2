using System.Threading.Channels;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// This host's adapter between circle grains and SignalR: grains never see the hub. It observes every circle
/// that has a connection on this host and forwards stored events to the groups of their audience, in order.
/// </summary>
public sealed class CircleHubRelay(IGrainFactory grains, IHubContext<CircleHub> hub, ILogger<CircleHubRelay> logger)
    : BackgroundService, ICircleObserver
{
    private readonly Dictionary<Guid, int> _watchers = new();
    // Subscribing and unsubscribing take turns, so a late unsubscribe can never undo a newer connection's subscribe.
    private readonly SemaphoreSlim _subscriptions = new(1, 1);
    // Observers are called on the grain's turn and must not block it; one reader keeps each circle's order.
    private readonly Channel<Func<Task>> _outbox = Channel.CreateUnbounded<Func<Task>>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Subscribes on every join: subscribing is idempotent, and it re-attaches after a grain was reactivated.</summary>
    public async Task WatchAsync(Guid circleId)
    {
        await _subscriptions.WaitAsync();
        try
        {
            _watchers[circleId] = _watchers.GetValueOrDefault(circleId) + 1;
            await grains.GetGrain<ICircleGrain>(circleId).SubscribeAsync(this);
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
            await grains.GetGrain<ICircleGrain>(circleId).UnsubscribeAsync(this);
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

    public void OnCircleEvent(CircleEvent circleEvent) =>
        _outbox.Writer.TryWrite(() => hub.Clients.Groups(CircleGroups.Audience(circleEvent))
            .SendAsync("circleEvent", CircleEventWire.ToWire(circleEvent)));

    public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) =>
        _outbox.Writer.TryWrite(() => hub.Clients.Group(CircleGroups.Everyone(circleId))
            .SendAsync("presence", new { circleId, memberIds = presentMemberIds }));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await foreach (var send in _outbox.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await send();
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A real-time push failed; the receivers will catch up on their next JoinCircle.");
            }
        }
    }
}
