using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Commitments;
using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Grains.Runtime;
using BetweenSessions.Groups.Grains.Settings;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BetweenSessions.Groups.Grains;

public static class GroupsGrainsServiceCollectionExtensions
{
    /// <summary>The grain runtime and this product's grains; storage ports come from the data layer.</summary>
    public static IServiceCollection AddGroupsGrains(this IServiceCollection services, Action<GrainRuntimeOptions>? configure = null)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<CircleInvitations>();
        services.TryAddSingleton<NudgeEmailChannel>();
        return services
            .AddGrainRuntime(configure)
            .AddGrain<ICircleGrain, CircleGrain>()
            .AddGrain<ICommitmentGrain, CommitmentGrain>()
            .AddGrain<ICueReminderGrain, CueReminderGrain>()
            .AddGrain<IMemberSettingsGrain, MemberSettingsGrain>()
            .AddGrain<INudgeGrain, NudgeGrain>()
            .AddGrain<IEmailOutboxGrain, EmailOutboxGrain>();
    }
}
