using BetweenSessions.Groups.Contracts;

namespace BetweenSessions.Groups.Grains.Hosting;

/// <summary>
/// Orleans reminders repeat; these grains need "once, at this instant" (a session's end, a cue time, the end of quiet
/// hours). Such a reminder is registered with that instant as its first tick and the shortest period, and the grain
/// re-arms or removes it when it fires. A tick the grain did not finish (a failure part-way) comes again a period
/// later, and an instant that passed while no host ran fires at the next period after start: at least once, never
/// early. Every action taken on a tick is therefore idempotent by its own key (docs/architecture.md, "Reminders").
/// </summary>
public static class OneShotReminders
{
    /// <summary>
    /// Keeps the one-shot reminder <paramref name="name"/> due at <paramref name="dueAt"/> (at once if that has
    /// passed), or none when that is null.
    /// </summary>
    public static async Task ArmOneShotReminder(this Grain grain, string name, DateTimeOffset? dueAt, TimeProvider clock)
    {
        if (dueAt is not { } due)
        {
            if (await grain.GetReminder(name) is { } armed) await grain.UnregisterReminder(armed);
            return;
        }
        var dueTime = due - clock.GetUtcNow();
        await grain.RegisterOrUpdateReminder(name, dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime, OneShotReminder.Period);
    }
}
