using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>The product's grains on the real runtime, with the circle store in memory and grain state in memory.</summary>
internal static class CircleTestHost
{
    public static ServiceProvider Build(InMemoryCircleStore store, TimeProvider? clock = null) =>
        new ServiceCollection()
            .AddLogging()
            .AddSingleton(clock ?? TimeProvider.System)
            .AddSingleton<ICircleStore>(store)
            .AddSingleton<ICircleDirectory>(store)
            .AddMemoryGrainStorage()
            .AddMemoryReminderTable()
            .AddGroupsGrains()
            .BuildServiceProvider();
}
