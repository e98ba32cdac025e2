using BetweenSessions.Groups.Grains.Hosting;
using BetweenSessions.Groups.Grains.Nudges;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BetweenSessions.Groups.Grains;

public static class GroupsGrainsServiceCollectionExtensions
{
    /// <summary>
    /// What this product's grains take from the host besides Orleans: the clock, the email and push channels, and the
    /// caller's language carried into each grain call. The grain
    /// classes themselves are found by Orleans in this assembly; storage and reminders come from the data layer.
    /// </summary>
    public static IServiceCollection AddGroupsGrains(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<NudgeEmailChannel>();
        services.TryAddSingleton<NudgePushChannel>();
        services.TryAddSingleton<CallerCulture>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IOutgoingGrainCallFilter, CallerCulture>(p => p.GetRequiredService<CallerCulture>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IIncomingGrainCallFilter, CallerCulture>(p => p.GetRequiredService<CallerCulture>()));
        return services;
    }
}
