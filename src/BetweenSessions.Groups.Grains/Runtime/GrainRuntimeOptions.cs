namespace BetweenSessions.Groups.Grains.Runtime;

public sealed class GrainRuntimeOptions
{
    /// <summary>An activation with no running or queued calls for longer than this is deactivated.</summary>
    public TimeSpan IdleTimeout { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How often the hosted runtime looks for idle activations.</summary>
    public TimeSpan CollectionInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// Orleans' response timeout: a caller stops waiting after this long and gets a <see cref="TimeoutException"/>.
    /// The grain turn is not aborted. Null waits forever.
    /// </summary>
    public TimeSpan? CallTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How often each host reads the reminder table even when nothing of its own changed, to see reminders that other
    /// hosts registered.
    /// </summary>
    public TimeSpan ReminderRefresh { get; set; } = TimeSpan.FromMinutes(1);
}
