namespace BetweenSessions.Groups.Contracts;

/// <summary>
/// Orleans has no one-shot reminder. A "once, at this instant" reminder is registered with that instant as its first
/// tick and this period, Orleans' minimum, and removed when it fires; the period is how soon an unfinished tick comes
/// again. The grains arm theirs with it, and the upgrade gives it to the old runtime's one-shot reminders.
/// </summary>
public static class OneShotReminder
{
    public static readonly TimeSpan Period = TimeSpan.FromMinutes(1);
}
