using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>The product's grains in an in-process silo, with the circle store, grain state and reminders in memory.</summary>
internal static class CircleTestHost
{
    public static Task<GroupsGrainHost> StartAsync(InMemoryCircleStore store, FakeTimeProvider? clock = null, IGrainStorage? storage = null) =>
        GroupsGrainHost.StartAsync(storage ?? new InMemoryGrainStorage(), new InMemoryReminderTable(), store, clock);
}
