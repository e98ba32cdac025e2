using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Subscriptions;

/// <summary>
/// What this host's feeds share: one Orleans observer per grain that something on this host listens to, created
/// once, subscribed at the grain when the first listener comes and on every later one (so a page opened after a
/// failover re-attaches at once), renewed every <see cref="SubscriptionOptions.Renewal"/> before the grain drops it,
/// and dropped when the last listener goes. Listeners subscribe here, never at the grain.
/// </summary>
public abstract class GrainFeed<TKey, TObserver, TSubscription>(
    IGrainFactory grains, IOptions<SubscriptionOptions> options, ILogger logger) : BackgroundService
    where TKey : notnull
    where TObserver : class, IGrainObserver
    where TSubscription : FeedSubscription<TKey, TObserver>, TObserver
{
    private readonly Dictionary<TKey, TSubscription> _subscriptions = [];

    protected IGrainFactory Grains => grains;

    protected ILogger Logger => logger;

    /// <summary>The object the grain calls for <paramref name="key"/>; it hands what it hears to the listeners.</summary>
    protected abstract TSubscription Create(TKey key);

    /// <summary>Subscribes or renews at the grain; the answer is handed to <see cref="Renewed"/>.</summary>
    protected abstract Task<long> SubscribeAtGrainAsync(TKey key, TObserver reference);

    protected abstract Task UnsubscribeAtGrainAsync(TKey key, TObserver reference);

    /// <summary>After each subscription or renewal, with what the grain answered (a circle: its last seq).</summary>
    protected virtual void Renewed(TSubscription subscription, long answer) { }

    /// <summary>The object the grain calls for <paramref name="key"/> while anything on this host listens to it.</summary>
    internal TSubscription? Find(TKey key)
    {
        lock (_subscriptions) return _subscriptions.GetValueOrDefault(key);
    }

    public async Task SubscribeAsync(TKey key, TObserver listener)
    {
        TSubscription subscription;
        lock (_subscriptions)
        {
            if (!_subscriptions.TryGetValue(key, out subscription!))
            {
                _subscriptions[key] = subscription = Create(key);
                // Orleans keeps only a weak reference to the object; the feed holds it while anyone listens.
                subscription.Reference = grains.CreateObjectReference<TObserver>(subscription);
            }
            subscription.Add(listener);
        }
        try
        {
            await RenewAsync(subscription);
        }
        catch
        {
            await UnsubscribeAsync(key, listener);
            throw;
        }
    }

    public async Task UnsubscribeAsync(TKey key, TObserver listener)
    {
        TSubscription? ended = null;
        lock (_subscriptions)
        {
            if (_subscriptions.TryGetValue(key, out var subscription) && subscription.Remove(listener))
            {
                _subscriptions.Remove(key);
                ended = subscription;
            }
        }
        if (ended is null) return;
        try
        {
            await UnsubscribeAtGrainAsync(key, ended.Reference);
        }
        catch (Exception ex)
        {
            // The subscription lapses by itself.
            logger.LogDebug(ex, "Unsubscribing this host from {Key} failed", key);
        }
        finally
        {
            _ = DeleteLaterAsync(ended.Reference);
        }
    }

    /// <summary>
    /// A notification the grain sent just before the unsubscription reached it is still on its way; it should find
    /// an object with no listeners, not a deleted one (which Orleans logs as an error).
    /// </summary>
    private async Task DeleteLaterAsync(TObserver reference)
    {
        await Task.Delay(TimeSpan.FromSeconds(10));
        grains.DeleteObjectReference<TObserver>(reference);
    }

    private async Task RenewAsync(TSubscription subscription) =>
        Renewed(subscription, await SubscribeAtGrainAsync(subscription.Key, subscription.Reference));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Renewal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            TSubscription[] subscriptions;
            lock (_subscriptions) subscriptions = _subscriptions.Values.ToArray();
            foreach (var subscription in subscriptions)
            {
                try
                {
                    await RenewAsync(subscription);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    // The grain's host may have just died; the next renewal finds it on another.
                    logger.LogWarning(ex, "Renewing this host's subscription to {Key} failed", subscription.Key);
                }
            }
        }
    }
}

/// <summary>One grain this host listens to: its listeners, and the reference the grain holds to it.</summary>
public abstract class FeedSubscription<TKey, TObserver>(TKey key, ILogger logger)
    where TObserver : class
{
    private readonly HashSet<TObserver> _listeners = new(ReferenceEqualityComparer.Instance);

    public TKey Key { get; } = key;

    public TObserver Reference { get; internal set; } = default!;

    internal void Add(TObserver listener)
    {
        lock (_listeners) _listeners.Add(listener);
    }

    /// <summary>True when that was the last listener.</summary>
    internal bool Remove(TObserver listener)
    {
        lock (_listeners) return _listeners.Remove(listener) && _listeners.Count == 0;
    }

    /// <summary>Tells every listener; one that throws is logged and the others still hear it.</summary>
    protected void Each(Action<TObserver> notify)
    {
        TObserver[] listeners;
        lock (_listeners) listeners = _listeners.ToArray();
        foreach (var listener in listeners)
        {
            try
            {
                notify(listener);
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "A listener of {Key} failed", Key);
            }
        }
    }
}
