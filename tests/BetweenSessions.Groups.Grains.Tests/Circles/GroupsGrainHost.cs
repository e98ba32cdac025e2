using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Grains.Runtime;
using BetweenSessions.Groups.Grains.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>
/// The grains as the app registers them (<c>AddGroupsGrains</c>) over in-memory grain storage, reminders and circle
/// store, started. A test keeps those pieces and starts a second host on them to play a restart.
/// </summary>
internal static class GroupsGrainHost
{
    public static async Task<ServiceProvider> StartAsync(
        IGrainStorage storage, IReminderTable reminders, InMemoryCircleStore store, TimeProvider? clock = null,
        NudgeEmailChannel? email = null)
    {
        var services = new ServiceCollection()
            .AddLogging()
            .AddSingleton(storage)
            .AddSingleton(reminders)
            .AddSingleton<ICircleStore>(store)
            .AddSingleton<ICircleDirectory>(store);
        if (clock is not null) services.AddSingleton(clock);
        if (email is not null) services.AddSingleton(email);
        var host = services.AddGroupsGrains().BuildServiceProvider();
        await host.GetRequiredService<GrainRuntime>().StartAsync(CancellationToken.None);
        return host;
    }

    public static async Task StopAsync(ServiceProvider host)
    {
        await host.GetRequiredService<GrainRuntime>().StopAsync(CancellationToken.None);
        await host.DisposeAsync();
    }

    /// <summary>Moves the manual clock on to <paramref name="instant"/> and fires every reminder due by then.</summary>
    public static async Task UntilAsync(this ServiceProvider host, ManualTimeProvider clock, DateTimeOffset instant)
    {
        clock.Advance(instant - clock.GetUtcNow());
        await host.GetRequiredService<GrainRuntime>().FireDueRemindersAsync();
    }
}
