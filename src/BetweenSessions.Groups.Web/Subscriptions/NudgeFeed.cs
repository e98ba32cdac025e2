using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Subscriptions;

/// <summary>
/// This host's one subscription to each person's nudges that an open page here shows: pages subscribe here, never to
/// the grain, and the feed renews the grain's observer before it lapses (<see cref="NudgeSubscription.Lifetime"/>).
/// A nudge missed while a subscription was being renewed is still in the person's list the next time it is read.
/// </summary>
public sealed class NudgeFeed(IGrainFactory grains, IOptions<SubscriptionOptions> options, ILogger<NudgeFeed> logger)
    : BackgroundService
{
    private ILogger Log => logger;

    private readonly Lock _lock = new();
    private readonly Dictionary<string, Person> _people = new(StringComparer.Ordinal);

    public async Task SubscribeAsync(string memberId, INudgeObserver listener)
    {
        Person person;
        lock (_lock)
        {
            if (!_people.TryGetValue(memberId, out person!)) _people[memberId] = person = new Person(memberId, this, grains);
            person.Listeners.Add(listener);
        }
        await grains.GetGrain<INudgeGrain>(memberId).SubscribeAsync(person.Reference);
    }

    public async Task UnsubscribeAsync(string memberId, INudgeObserver listener)
    {
        Person? ended = null;
        lock (_lock)
        {
            if (_people.TryGetValue(memberId, out var person) && person.Listeners.Remove(listener) && person.Listeners.Count == 0)
            {
                _people.Remove(memberId);
                ended = person;
            }
        }
        if (ended is null) return;
        try
        {
            await grains.GetGrain<INudgeGrain>(memberId).UnsubscribeAsync(ended.Reference);
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "Unsubscribing from a person's nudges failed; the subscription lapses by itself");
        }
        finally
        {
            grains.DeleteObjectReference<INudgeObserver>(ended.Reference);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.Renewal);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            Person[] people;
            lock (_lock) people = _people.Values.ToArray();
            foreach (var person in people)
            {
                try
                {
                    await grains.GetGrain<INudgeGrain>(person.MemberId).SubscribeAsync(person.Reference);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Renewing a subscription to a person's nudges failed");
                }
            }
        }
    }

    private sealed class Person : INudgeObserver
    {
        private readonly NudgeFeed _feed;

        public Person(string memberId, NudgeFeed feed, IGrainFactory grains)
        {
            MemberId = memberId;
            _feed = feed;
            Reference = grains.CreateObjectReference<INudgeObserver>(this);
        }

        public string MemberId { get; }

        public INudgeObserver Reference { get; }

        public HashSet<INudgeObserver> Listeners { get; } = new(ReferenceEqualityComparer.Instance);

        public void OnNotification(Notification notification) => Each(l => l.OnNotification(notification));

        public void OnNotificationRemoved(string key) => Each(l => l.OnNotificationRemoved(key));

        private void Each(Action<INudgeObserver> notify)
        {
            INudgeObserver[] listeners;
            lock (_feed._lock) listeners = Listeners.ToArray();
            foreach (var listener in listeners)
            {
                try { notify(listener); }
                catch (Exception ex) { _feed.Log.LogWarning(ex, "A listener of a person's nudges failed"); }
            }
        }
    }
}
