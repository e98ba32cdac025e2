using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Realtime;

internal static class RealtimeExtensions
{
    public const string HubPath = "/hubs/circles";
    private const string CorsPolicy = "hub-origins";

    public static IHostApplicationBuilder AddGroupsRealtime(this IHostApplicationBuilder builder)
    {
        builder.Services.Configure<RealtimeOptions>(builder.Configuration.GetSection("Realtime"));
        builder.Services.Configure<SupportOptions>(builder.Configuration.GetSection("Support"));
        // Per hub, not global: Blazor Server's own hub must not get our limits and filters.
        builder.Services.AddSignalR().AddHubOptions<CircleHub>(options =>
        {
            // Every field of the largest entry fits with room to spare. A bigger message is not ours: SignalR
            // closes that connection (the protocol has no way to answer it), and nothing is stored.
            options.MaximumReceiveMessageSize = 32 * 1024;
            // First, so that every refusal after it, and every grain the call reaches, speaks the person's language.
            options.AddFilter<HubCulture>();
            options.AddFilter<SignedInConnections>();
            options.AddFilter<RateLimitHubFilter>();
            options.AddFilter<DomainErrorsHubFilter>();
            // Inside the domain filter, which turns a grain's refusal on the way into the words the method would give.
            options.AddFilter<FacilitatorSignInHubFilter>();
        });
        // Browser apps served from an allowed origin need CORS for negotiate and the SSE / long-polling transports;
        // the WebSocket upgrade is covered by OriginCheck.
        var origins = builder.Configuration.GetSection("Realtime:AllowedOrigins").Get<string[]>() ?? [];
        builder.Services.AddCors(cors => cors.AddPolicy(CorsPolicy, policy => policy
            .WithOrigins(origins.Select(origin => origin.TrimEnd('/')).ToArray())
            .AllowAnyHeader()
            .WithMethods("GET", "POST")
            .AllowCredentials()));
        builder.Services.AddSingleton<PersonRateLimiter>();
        builder.Services.AddSingleton<SignedInConnections>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<SignedInConnections>());
        builder.Services.AddSingleton<CircleCrisisResources>();
        builder.Services.AddSingleton<CircleHubRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CircleHubRelay>());
        return builder;
    }

    public static WebApplication MapGroupsRealtime(this WebApplication app)
    {
        var slowReceiverTimeout = app.Services.GetRequiredService<IOptions<RealtimeOptions>>().Value.SlowReceiverTimeout;
        app.MapHub<CircleHub>(HubPath, connection =>
        {
            connection.TransportSendTimeout = slowReceiverTimeout;
            // A bearer token or cookie that expires ends the connection too, as it would end any request.
            connection.CloseOnAuthenticationExpiration = true;
        }).RequireCors(CorsPolicy);
        return app;
    }
}
