using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Orleans;
using Orleans.Hosting;
using Orleans.Storage;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// The Orleans providers on the app's own database: grain storage, reminders and cluster membership. They take the
/// context factory and write queue that <see cref="GroupsDataExtensions.AddGroupsData"/> registers, so the silo must
/// be co-hosted in the same host (builder.UseOrleans) and AddGroupsData called on that builder.
/// </summary>
public static class GroupsSiloExtensions
{
    /// <summary>
    /// Grain storage in the GrainState table, registered as a keyed <see cref="IGrainStorage"/> under
    /// <paramref name="name"/> (what [PersistentState(stateName, "groups")] names), as Orleans' own providers are.
    /// </summary>
    public static ISiloBuilder AddGroupsGrainStorage(this ISiloBuilder builder, string name = OrleansGrainStorage.ProviderName) =>
        builder.ConfigureServices(services => services.AddGroupsGrainStorage(name));

    /// <summary>Orleans' reminder service with its table in the Reminders table.</summary>
    public static ISiloBuilder UseGroupsReminderService(this ISiloBuilder builder)
    {
        builder.AddReminders();
        return builder.ConfigureServices(services => services.AddGroupsReminderTable());
    }

    /// <summary>
    /// Cluster membership in ClusterVersions and ClusterMembers, for the cluster Orleans' ClusterOptions names.
    /// Silos co-hosted with the web app need nothing more; an external Orleans client would also need a gateway list
    /// provider, which this app has no use for.
    /// </summary>
    public static ISiloBuilder UseGroupsClustering(this ISiloBuilder builder) =>
        builder.ConfigureServices(services => services.AddGroupsMembershipTable());

    /// <inheritdoc cref="AddGroupsGrainStorage(ISiloBuilder, string)"/>
    public static IServiceCollection AddGroupsGrainStorage(this IServiceCollection services, string name = OrleansGrainStorage.ProviderName)
    {
        services.AddKeyedSingleton<IGrainStorage>(name, (sp, _) => new OrleansGrainStorage(
            sp.GetRequiredService<IDbContextFactory<GroupsDbContext>>(), sp.GetRequiredService<WriteQueue>()));
        return services;
    }

    /// <summary>The <see cref="IReminderTable"/> alone, without Orleans' reminder service (tests, tools).</summary>
    public static IServiceCollection AddGroupsReminderTable(this IServiceCollection services)
    {
        services.RemoveAll<IReminderTable>();
        services.AddSingleton<IReminderTable>(sp => new OrleansReminderTable(
            sp.GetRequiredService<IDbContextFactory<GroupsDbContext>>(), sp.GetRequiredService<WriteQueue>()));
        return services;
    }

    /// <inheritdoc cref="UseGroupsClustering"/>
    public static IServiceCollection AddGroupsMembershipTable(this IServiceCollection services)
    {
        services.RemoveAll<IMembershipTable>();
        services.AddSingleton<IMembershipTable, EfMembershipTable>();
        return services;
    }
}
