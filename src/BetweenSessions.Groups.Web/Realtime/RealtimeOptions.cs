namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>Settings of the hub (section "Realtime").</summary>
public sealed class RealtimeOptions
{
    /// <summary>
    /// Browser origins (scheme://host[:port]) other than the app's own that may open the hub, for example a member
    /// app served elsewhere. CORS does not cover WebSockets, so the hub checks Origin itself.
    /// </summary>
    public List<string> AllowedOrigins { get; set; } = [];

    public HubRateLimit RateLimit { get; set; } = new();

    /// <summary>
    /// A connection whose client has not taken a push for this long is closed (SignalR's transport send timeout). Its
    /// app reconnects and catches up from the circle's log; until then its unsent pushes are held in memory.
    /// </summary>
    public TimeSpan SlowReceiverTimeout { get; set; } = TimeSpan.FromSeconds(10);
}

/// <summary>
/// Token buckets, one per connection and one per person across their connections: a burst, then a steady rate.
/// Generous for people, firm for loops and for someone opening many connections.
/// </summary>
public sealed class HubRateLimit
{
    public int Burst { get; set; } = 20;
    public int PerSecond { get; set; } = 1;
    public int PersonBurst { get; set; } = 40;
    public int PersonPerSecond { get; set; } = 2;
}
