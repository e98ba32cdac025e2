using System.Threading.Channels;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Subscriptions;

/// <summary>
/// This host's one subscription to each circle that something on it listens to: the hub relay and every open page
/// subscribe here, never to the grain. The circle's grain (on this host or another) holds one Orleans observer per
/// host, which this feed renews before it lapses (<see cref="CircleSubscription.Lifetime"/>), and every listener of
/// the circle hears each stored event once, in seq order, even across a failover: subscribe, renew, catch up.
/// </summary>
/// <remarks>
/// A push can be missed: the grain's host died and the circle came back elsewhere without its observers, or a
/// message was lost. And pushes between hosts travel separately, so one can overtake another. Each renewal returns
/// the circle's last seq, and a push that skips seqs shows a gap at once; a push ahead of its turn waits a moment
/// for those before it, and then the feed reads what it still has not heard from the log
/// (<see cref="ICircleStore.ReadLogAsync"/>) before going on, so listeners hear every seq once and in order. An event heard twice (a push after the log already brought it) is dropped; an erased or rewritten entry
/// comes again under its old seq with other content and is passed on. Listeners apply the audience rule themselves,
/// as they did for pushes.
/// </remarks>
public sealed class CircleFeed(
    IGrainFactory grains, ICircleStore store, IOptions<SubscriptionOptions> options, ILogger<CircleFeed> logger)
    : GrainFeed<Guid, ICircleObserver, CircleFeed.Circle>(grains, options, logger)
{
    private const int CatchUpPage = 500;
    private const int RecentKept = 1024;

    // The grain calls observers on its turn; one reader keeps each circle's order and does the catching up.
    private readonly Channel<Work> _inbox = Channel.CreateUnbounded<Work>(new UnboundedChannelOptions { SingleReader = true });

    protected override Circle Create(Guid circleId) => new(circleId, this);

    protected override Task<long> SubscribeAtGrainAsync(Guid circleId, ICircleObserver reference) =>
        Grains.GetGrain<ICircleGrain>(circleId).SubscribeAsync(reference);

    protected override Task UnsubscribeAtGrainAsync(Guid circleId, ICircleObserver reference) =>
        Grains.GetGrain<ICircleGrain>(circleId).UnsubscribeAsync(reference);

    /// <summary>The grain's last seq: what this host has not heard of up to it is read from the log, in order.</summary>
    protected override void Renewed(Circle circle, long lastSeq) => _inbox.Writer.TryWrite(new Work(circle, null, null, null, lastSeq));

    protected override Task ExecuteAsync(CancellationToken stoppingToken) =>
        Task.WhenAll(DeliverAsync(stoppingToken), base.ExecuteAsync(stoppingToken));

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
                Logger.LogWarning(ex, "Delivering circle {CircleId}'s events to this host's listeners failed", work.Circle.Key);
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
                // Instants are compared as stored: PostgreSQL keeps microseconds, the pushed copy 100 ns ticks.
                if (circle.Recent.TryGetValue(pushed.Seq, out var held) && held with { At = pushed.At } == pushed) return;
                Deliver(circle, pushed);
            }
            else if (circle.Delivered < 0 || pushed.Seq == circle.Delivered + 1)
            {
                await CatchUpAsync(circle, pushed.Seq - 1, ct);
                Deliver(circle, pushed);
                DeliverEarly(circle);
            }
            else
            {
                // It overtook pushes before it (they travel separately between hosts): held a moment for them, and
                // only what they have not brought by then is read from the log.
                circle.Early[pushed.Seq] = pushed;
                if (!circle.GapCheckDue)
                {
                    circle.GapCheckDue = true;
                    _ = LaterAsync(new Work(circle, null, null, null, null, GapCheck: true), ct);
                }
            }
        }
        else if (work.GapCheck)
        {
            circle.GapCheckDue = false;
            if (circle.Early.Count == 0) return;
            await CatchUpAsync(circle, circle.Early.Keys.First() - 1, ct);
            DeliverEarly(circle);
            // Another gap further on waits its moment too.
            if (circle.Early.Count > 0)
            {
                circle.GapCheckDue = true;
                _ = LaterAsync(work, ct);
            }
        }
        else if (work.Erased is { } erased)
        {
            Remember(circle, erased.Tombstone);
            circle.Tell(l => l.OnEntryErased(erased));
        }
        else if (work.Present is { } present)
        {
            circle.Tell(l => l.OnPresenceChanged(circle.Key, present));
        }
        else if (work.LastSeq is { } lastSeq)
        {
            // The first subscription starts from the circle as it is: listeners read what came before themselves.
            if (circle.Delivered < 0) circle.Delivered = lastSeq;
            else if (circle.Delivered >= lastSeq) return;
            // The answer can overtake pushes still on their way; only what they have not brought by then is read.
            else if (!work.Rechecked) _ = LaterAsync(work with { Rechecked = true }, ct);
            else
            {
                await CatchUpAsync(circle, lastSeq, ct);
                DeliverEarly(circle);
            }
        }
    }

    private static void Deliver(Circle circle, CircleEvent circleEvent)
    {
        Remember(circle, circleEvent);
        circle.Tell(l => l.OnCircleEvent(circleEvent));
    }

    /// <summary>Held pushes that are next now, in order; those the log brought meanwhile are dropped.</summary>
    private static void DeliverEarly(Circle circle)
    {
        while (circle.Early.Count > 0)
        {
            var (seq, early) = circle.Early.First();
            if (seq > circle.Delivered + 1) return;
            circle.Early.Remove(seq);
            if (seq == circle.Delivered + 1) Deliver(circle, early);
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
            var missed = await store.ReadLogAsync(circle.Key, circle.Delivered, (int)Math.Min(CatchUpPage, untilSeq - circle.Delivered), ct);
            if (missed.Count == 0) break;
            Logger.LogInformation("Circle {CircleId}: read {Count} events after seq {Seq} that no push brought to this host",
                circle.Key, missed.Count, circle.Delivered);
            foreach (var circleEvent in missed) Deliver(circle, circleEvent);
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

    private async Task LaterAsync(Work work, CancellationToken ct)
    {
        try
        {
            await Task.Delay(PushesInFlight, ct);
            _inbox.Writer.TryWrite(work);
        }
        catch (OperationCanceledException)
        {
            // The host is stopping.
        }
    }

    /// <summary>Time enough for a push on its way to arrive after one that overtook it, or after a renewal's answer.</summary>
    private static readonly TimeSpan PushesInFlight = TimeSpan.FromMilliseconds(250);

    private readonly record struct Work(
        Circle Circle, CircleEvent? Event, ErasedEntry? Erased, IReadOnlyList<string>? Present, long? LastSeq,
        bool Rechecked = false, bool GapCheck = false);

    /// <summary>One circle this host listens to; also the Orleans observer the circle's grain calls.</summary>
    public sealed class Circle(Guid circleId, CircleFeed feed) : FeedSubscription<Guid, ICircleObserver>(circleId, feed.Logger), ICircleObserver
    {
        /// <summary>The highest seq every listener has heard; -1 until the first subscription answers.</summary>
        internal long Delivered { get; set; } = -1;

        internal Dictionary<long, CircleEvent> Recent { get; } = [];

        /// <summary>Pushes that arrived before one with a lower seq, waiting for it.</summary>
        internal SortedDictionary<long, CircleEvent> Early { get; } = [];

        internal bool GapCheckDue { get; set; }

        internal void Tell(Action<ICircleObserver> notify) => Each(notify);

        public void OnCircleEvent(CircleEvent circleEvent) => feed.Enqueue(this, circleEvent, null, null);

        public void OnEntryErased(ErasedEntry erased) => feed.Enqueue(this, null, erased, null);

        public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) =>
            feed.Enqueue(this, null, null, presentMemberIds);
    }
}
