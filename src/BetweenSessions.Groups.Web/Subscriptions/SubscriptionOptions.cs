namespace BetweenSessions.Groups.Web.Subscriptions;

/// <summary>How this host keeps its grain subscriptions (section "Subscriptions").</summary>
public sealed class SubscriptionOptions
{
    /// <summary>
    /// How often each subscription is renewed at its grain. Well within the grains' subscription lifetime (two
    /// minutes); it is also the longest a circle that moved to another host (its host died) goes unheard here
    /// before the feed reads what it missed.
    /// </summary>
    public TimeSpan Renewal { get; set; } = TimeSpan.FromSeconds(15);
}
