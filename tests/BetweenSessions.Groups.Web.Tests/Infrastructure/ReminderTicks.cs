using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>
/// Delivers every stored reminder tick due by the app's (test-set) clock, as Orleans' reminder service would when
/// the moment comes: the app's reminders run on the real clock, and a test cannot wait for tomorrow 08:00. Grain
/// tests cover the reminder service itself with a fake clock.
/// </summary>
internal static class ReminderTicks
{
    public static async Task DeliverDueAsync(IServiceProvider services, DateTimeOffset now)
    {
        var table = services.GetRequiredService<IReminderTable>();
        var grains = services.GetRequiredService<IGrainFactory>();
        // An empty range (begin == end) is the whole ring.
        foreach (var reminder in (await table.ReadRows(0, 0)).Reminders.Where(r => r.StartAt <= now.UtcDateTime))
        {
            await grains.GetGrain<IRemindable>(reminder.GrainId)
                .ReceiveReminder(reminder.ReminderName, new TickStatus(reminder.StartAt, reminder.Period, now.UtcDateTime));
        }
    }
}
