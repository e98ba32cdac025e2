namespace BetweenSessions.Groups.Web.Subscriptions;

public static class SubscriptionExtensions
{
    /// <summary>The one place this host subscribes to grains: circles (hub relay and pages) and people's nudges.</summary>
    public static IHostApplicationBuilder AddGroupsSubscriptions(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<SubscriptionOptions>(builder.Configuration.GetSection("Subscriptions"));
        builder.Services.AddSingleton<CircleFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CircleFeed>());
        builder.Services.AddSingleton<NudgeFeed>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<NudgeFeed>());
        return builder;
    }
}
