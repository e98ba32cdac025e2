using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Subscriptions;

/// <summary>
/// This host's one subscription to each person's nudges that an open page here shows (the Nudges page). A nudge
/// missed while a subscription was being renewed is in the person's list the next time it is read.
/// </summary>
public sealed class NudgeFeed(IGrainFactory grains, IOptions<SubscriptionOptions> options, ILogger<NudgeFeed> logger)
    : GrainFeed<string, INudgeObserver, NudgeFeed.Person>(grains, options, logger)
{
    protected override Person Create(string memberId) => new(memberId, Logger);

    protected override async Task<long> SubscribeAtGrainAsync(string memberId, INudgeObserver reference)
    {
        await Grains.GetGrain<INudgeGrain>(memberId).SubscribeAsync(reference);
        return 0;
    }

    protected override Task UnsubscribeAtGrainAsync(string memberId, INudgeObserver reference) =>
        Grains.GetGrain<INudgeGrain>(memberId).UnsubscribeAsync(reference);

    public sealed class Person(string memberId, ILogger logger) : FeedSubscription<string, INudgeObserver>(memberId, logger), INudgeObserver
    {
        public void OnNotification(Notification notification) => Each(l => l.OnNotification(notification));

        public void OnNotificationRemoved(string key) => Each(l => l.OnNotificationRemoved(key));
    }
}
