using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Subscriptions;

/// <summary>
/// This host's one subscription to each circle that something on it listens to: the hub relay and every open page
/// subscribe here, never to the grain. The circle's grain (on this host or another) holds one Orleans observer per
/// host, which this feed renews before it lapses (<see cref="CircleSubscription.Lifetime"/>), and every listener of
/// the circle hears each stored event once, in seq order.
/// </summary>
/// <remarks>
/// A push can be missed: the grain's host died and the circle came back elsewhere without its observers, or a
/// message was lost. Each renewal returns the circle's last seq, and a push that skips seqs shows the gap at once;
/// either way the feed reads what it has not heard from the log (<see cref="ICircleStore.ReadLogAsync"/>) before
/// going on. An event heard twice (a push after the log already brought it) is dropped; an erased or rewritten entry
/// comes again under its old seq with other content and is passed on. Listeners apply the audience rule themselves,
/// as they did for pushes.
/// </remarks>
public sealed class CircleFeed(
    IGrainFactory grains, ICircleStore store, IOptions<SubscriptionOptions> options, ILogger<CircleFeed> logger)
    : BackgroundService
{
    private ILogger Log => logger;

    private const int CatchUpPage = 500;
    private const int RecentKept = 1024;

    private readonly Lock _lock = new();
    private readonly Dictionary<Guid, Circle> _circles = [];
    // The grain calls observers on its turn; one reader keeps each circle's order and does the catching up.
    private readonly Channel<Work> _inbox = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>
    /// Starts (or re-attaches) this host's subscription and adds <paramref name="listener"/> to it. Subscribing is
    /// renewed at the grain on every call, so a page opened after a failover re-attaches at once.
    /// </summary>
    public async Task SubscribeAsync(Guid circleId, ICircleObserver listener)
    {
        Circle circle;
        lock (_lock)
        {
            if (!_circles.TryGetValue(circleId, out circle!))
                _circles[circleId] = circle = new Circle(circleId, this, grains);
            circle.Listeners.Add(listener);
        }
        try
        {
            await RenewAsync(circle);
        }
        catch
        {
            await UnsubscribeAsync(circleId, listener);
            throw;
        }
    }

    public async Task UnsubscribeAsync(Guid circleId, ICircleObserver listener)
    {
        Circle? ended = null;
        lock (_lock)
        {
            if (_circles.TryGetValue(circleId, out var circle) && circle.Listeners.Remove(listener) && circle.Listeners.Count == 0)
            {
                _circles.Remove(circleId);
                ended = circle;
            }
        }
        if (ended is null) return;
        try
        {
            await grains.GetGrain<ICircleGrain>(circleId).UnsubscribeAsync(ended.Reference);
        }
        catch (Exception ex)
        {
            // The subscription lapses by itself.
            logger.LogDebug(ex, "Unsubscribing this host from circle {CircleId} failed", circleId);
        }
        finally
        {
            grains.DeleteObjectReference<ICircleObserver>(ended.Reference);
        }
    }

    private async Task RenewAsync(Circle circle)
    {
        var lastSeq = await grains.GetGrain<ICircleGrain>(circle.CircleId).SubscribeAsync(circle.Reference);
        _inbox.Writer.TryWrite(new Work(circle, null, null, null, lastSeq));
    }

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(DeliverAsync(stoppingToken), RenewAllAsync(stoppingToken));

    private async Task RenewAllAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Renewal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Circle[] circles;
            lock (_lock) circles = _circles.Values.ToArray();
            foreach (var circle in circles)
            {
                try
                {
                    await RenewAsync(circle);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // A host that held the circle may have just died; the next renewal finds it elsewhere.
                    logger.LogWarning(ex, "Renewing this host's subscription to circle {CircleId} failed", circle.CircleId);
                }
            }
        }
    }

    private async Task DeliverAsync(CancellationToken stoppingToken)
    {
        await foreach (var work in _inbox.Reader.ReadAllAsync(stoppingToken))
        {
            try
            {
                await DeliverAsync(work, stoppingToken);
            }
            catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
            {
                // Not lost for good: the next renewal shows the gap and reads it again.
                logger.LogWarning(ex, "Delivering circle {CircleId}'s events to this host's listeners failed", work.Circle.CircleId);
            }
        }
    }

    private async Task DeliverAsync(Work work, CancellationToken ct)
    {
        var circle = work.Circle;
        if (work.Event is { } pushed)
        {
            if (pushed.Seq <= circle.Delivered)
            {
                // Heard already (the log brought it first), or an entry rewritten in place: only the latter is news.
                if (circle.Recent.TryGetValue(pushed.Seq, out var held) && held == pushed) return;
            }
            else
            {
                await CatchUpAsync(circle, pushed.Seq - 1, ct);
            }
            Remember(circle, pushed);
            circle.Each(l => l.OnCircleEvent(pushed));
        }
        else if (work.Erased is { } erased)
        {
            Remember(circle, erased.Tombstone);
            circle.Each(l => l.OnEntryErased(erased));
        }
        else if (work.Present is { } present)
        {
            circle.Each(l => l.OnPresenceChanged(circle.CircleId, present));
        }
        else if (work.LastSeq is { } lastSeq)
        {
            // The first subscription starts from the circle as it is: listeners read what came before themselves.
            if (circle.Delivered < 0) circle.Delivered = lastSeq;
            else await CatchUpAsync(circle, lastSeq, ct);
        }
    }

    private async Task CatchUpAsync(Circle circle, long untilSeq, CancellationToken ct)
    {
        if (circle.Delivered < 0)
        {
            circle.Delivered = untilSeq;
            return;
        }
        while (circle.Delivered < untilSeq)
        {
            var missed = await store.ReadLogAsync(circle.CircleId, circle.Delivered, (int)Math.Min(CatchUpPage, untilSeq - circle.Delivered), ct);
            if (missed.Count == 0) break;
            logger.LogInformation("Circle {CircleId}: read {Count} events after seq {Seq} that no push brought to this host",
                circle.CircleId, missed.Count, circle.Delivered);
            foreach (var circleEvent in missed)
            {
                Remember(circle, circleEvent);
                circle.Each(l => l.OnCircleEvent(circleEvent));
            }
        }
    }

    private static void Remember(Circle circle, CircleEvent circleEvent)
    {
        circle.Recent[circleEvent.Seq] = circleEvent;
        circle.Delivered = Math.Max(circle.Delivered, circleEvent.Seq);
        circle.Recent.Remove(circle.Delivered - RecentKept);
    }

    private void Enqueue(Circle circle, CircleEvent? circleEvent, ErasedEntry? erased, IReadOnlyList<string>? present) =>
        _inbox.Writer.TryWrite(new Work(circle, circleEvent, erased, present, null));

    private readonly record struct Work(
        Circle Circle, CircleEvent? Event, ErasedEntry? Erased, IReadOnlyList<string>? Present, long? LastSeq);

    /// <summary>One circle this host listens to; also the Orleans observer the circle's grain calls.</summary>
    private sealed class Circle : ICircleObserver
    {
        private readonly CircleFeed _feed;

        public Circle(Guid circleId, CircleFeed feed, IGrainFactory grains)
        {
            CircleId = circleId;
            _feed = feed;
            // Orleans keeps only a weak reference to the object; this one lives as long as the feed holds the circle.
            Reference = grains.CreateObjectReference<ICircleObserver>(this);
        }

        public Guid CircleId { get; }

        public ICircleObserver Reference { get; }

        public HashSet<ICircleObserver> Listeners { get; } = new(ReferenceEqualityComparer.Instance);

        /// <summary>The highest seq every listener has heard; -1 until the first subscription answers.</summary>
        public long Delivered { get; set; } = -1;

        public Dictionary<long, CircleEvent> Recent { get; } = [];

        public void Each(Action<ICircleObserver> notify)
        {
            ICircleObserver[] listeners;
            lock (_feed._lock) listeners = Listeners.ToArray();
            foreach (var listener in listeners)
            {
                try
                {
                    notify(listener);
                }
                catch (Exception ex)
                {
                    _feed.Log.LogWarning(ex, "A listener of circle {CircleId} failed", CircleId);
                }
            }
        }

        public void OnCircleEvent(CircleEvent circleEvent) => _feed.Enqueue(this, circleEvent, null, null);

        public void OnEntryErased(ErasedEntry erased) => _feed.Enqueue(this, null, erased, null);

        public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) =>
            _feed.Enqueue(this, null, null, presentMemberIds);
    }
}
