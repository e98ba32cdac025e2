using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>The counterpart of Orleans' silo builder: the runtime once, then one AddGrain per grain interface.</summary>
public static class GrainServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="GrainRuntime"/> as a singleton, as <see cref="IGrainFactory"/> and as a hosted service
    /// (idle collection, deactivation on shutdown). Grains of type <see cref="Grain{TState}"/> also need an
    /// <see cref="IGrainStorage"/>.
    /// </summary>
    public static IServiceCollection AddGrainRuntime(this IServiceCollection services, Action<GrainRuntimeOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = services.AddOptions<GrainRuntimeOptions>();
        if (configure is not null) options.Configure(configure);
        if (services.Any(d => d.ServiceType == typeof(GrainRuntime))) return services;

        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<GrainRuntime>();
        services.AddSingleton<IGrainFactory>(sp => sp.GetRequiredService<GrainRuntime>());
        services.AddHostedService(sp => sp.GetRequiredService<GrainRuntime>());
        return services;
    }

    public static IServiceCollection AddGrain<TGrainInterface, TGrainClass>(this IServiceCollection services)
        where TGrainInterface : class, IGrain
        where TGrainClass : Grain, TGrainInterface
    {
        ArgumentNullException.ThrowIfNull(services);
        if (!typeof(TGrainInterface).IsInterface
            || !(typeof(IGrainWithGuidKey).IsAssignableFrom(typeof(TGrainInterface))
                 || typeof(IGrainWithStringKey).IsAssignableFrom(typeof(TGrainInterface))))
            throw new ArgumentException(
                $"{typeof(TGrainInterface).Name} must be an interface deriving from IGrainWithGuidKey or IGrainWithStringKey.");
        services.AddSingleton(new GrainRegistration(typeof(TGrainInterface), typeof(TGrainClass)));
        return services;
    }

    /// <summary>Registers a <see cref="MemoryReminderTable"/> as the <see cref="IReminderTable"/>: development and tests only.</summary>
    public static IServiceCollection AddMemoryReminderTable(this IServiceCollection services)
    {
        services.TryAddSingleton<IReminderTable, MemoryReminderTable>();
        return services;
    }

    /// <summary>Registers <see cref="MemoryGrainStorage"/> as the <see cref="IGrainStorage"/>: development and tests only.</summary>
    public static IServiceCollection AddMemoryGrainStorage(this IServiceCollection services)
    {
        services.AddSingleton<IGrainStorage, MemoryGrainStorage>();
        return services;
    }
}
