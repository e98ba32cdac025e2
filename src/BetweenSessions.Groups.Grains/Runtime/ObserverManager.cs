using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>
/// The subscribers of one grain, after Orleans.Utilities.ObserverManager. Notifications run synchronously on the
/// grain's turn in subscription order, so observers must only queue work (push to SignalR, InvokeAsync on a Blazor
/// component) and return. A failing observer never fails the grain or the other observers; after
/// <see cref="MaxConsecutiveFailures"/> failures in a row it is dropped, as a dead client would be.
/// </summary>
public sealed class ObserverManager<TObserver>(ILogger logger) where TObserver : class, IGrainObserver
{
    public const int MaxConsecutiveFailures = 3;

    private readonly Lock _lock = new();
    private readonly List<Subscription> _subscriptions = [];

    public int Count
    {
        get { lock (_lock) return _subscriptions.Count; }
    }

    /// <summary>Adds the observer; subscribing again keeps its place and forgives its past failures.</summary>
    public void Subscribe(TObserver observer)
    {
        ArgumentNullException.ThrowIfNull(observer);
        lock (_lock)
        {
            var existing = _subscriptions.Find(s => ReferenceEquals(s.Observer, observer));
            if (existing is not null) existing.ConsecutiveFailures = 0;
            else _subscriptions.Add(new Subscription(observer));
        }
    }

    public void Unsubscribe(TObserver observer)
    {
        lock (_lock) _subscriptions.RemoveAll(s => ReferenceEquals(s.Observer, observer));
    }

    public void Notify(Action<TObserver> notification) => Notify(notification, static _ => true);

    public void Notify(Action<TObserver> notification, Func<TObserver, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(notification);
        ArgumentNullException.ThrowIfNull(predicate);
        // A snapshot, so observers may unsubscribe (or subscribe others) while being notified.
        Subscription[] subscriptions;
        lock (_lock) subscriptions = [.. _subscriptions];

        foreach (var subscription in subscriptions)
        {
            if (!predicate(subscription.Observer)) continue;
            try
            {
                notification(subscription.Observer);
                subscription.ConsecutiveFailures = 0;
            }
            catch (Exception ex)
            {
                OnFailure(subscription, ex);
            }
        }
    }

    private void OnFailure(Subscription subscription, Exception exception)
    {
        var failures = ++subscription.ConsecutiveFailures;
        var observerType = subscription.Observer.GetType().Name;
        // Exception messages can quote what was being delivered (someone's check-in), so only the type is logged.
        if (failures < MaxConsecutiveFailures)
        {
            logger.LogWarning("Observer {ObserverType} failed with {ExceptionType} ({Failures} in a row)",
                observerType, exception.GetType().Name, failures);
            return;
        }
        lock (_lock) _subscriptions.Remove(subscription);
        logger.LogWarning("Observer {ObserverType} failed with {ExceptionType} {Failures} times in a row and was unsubscribed",
            observerType, exception.GetType().Name, failures);
    }

    private sealed class Subscription(TObserver observer)
    {
        public TObserver Observer { get; } = observer;

        public int ConsecutiveFailures { get; set; }
    }
}
