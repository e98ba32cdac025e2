using System.Net;
using System.Net.Sockets;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Grains;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Identity;
using Orleans.Configuration;
using Orleans.Dashboard;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace BetweenSessions.Groups.Web.Cluster;

internal static class ClusterExtensions
{
    /// <summary>Operators see the cluster (the Orleans Dashboard); members and facilitators never do.</summary>
    public const string OperatorPolicy = "operator";

    /// <summary>
    /// Co-hosts an Orleans silo in this web host. One host alone is its own cluster (localhost clustering); with
    /// <c>Cluster:Clustering=database</c> every host on the shared database joins one cluster, membership in the
    /// project's own tables. Grain state and reminders always live in the project's database.
    /// </summary>
    public static WebApplicationBuilder AddGroupsCluster(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Cluster");
        var options = section.Get<GroupsClusterOptions>() ?? new GroupsClusterOptions();
        builder.Services.Configure<GroupsClusterOptions>(section);
        builder.Services.AddGroupsGrains();
        // Orleans' own timing (calls, membership, reminders) keeps to the real clock even where a test gives the app
        // another one: a clock set to tomorrow must not time out calls or declare hosts dead.
        builder.Services.AddKeyedSingleton<TimeProvider>(KeyedService.AnyKey, TimeProvider.System);
        builder.UseOrleans(silo =>
        {
            var siloPort = options.SiloPort > 0 ? options.SiloPort : FreePort();
            switch (options.Clustering.ToLowerInvariant())
            {
                case "localhost":
                    silo.UseLocalhostClustering(siloPort, FreePort(), serviceId: "betweensessions", clusterId: options.ClusterId);
                    break;
                case "database":
                    silo.UseGroupsClustering();
                    silo.Configure<ClusterOptions>(o =>
                    {
                        o.ClusterId = options.ClusterId;
                        o.ServiceId = "betweensessions";
                    });
                    // Hosts are co-hosted web apps that call grains in-process: no client gateway is needed.
                    silo.Configure<EndpointOptions>(o =>
                    {
                        o.AdvertisedIPAddress = IPAddress.Parse(options.AdvertisedAddress);
                        o.SiloPort = siloPort;
                        o.GatewayPort = 0;
                    });
                    break;
                default:
                    throw new InvalidOperationException(
                        $"Cluster:Clustering is '{options.Clustering}'; use 'localhost' (one host) or 'database' (several hosts on one database).");
            }
            // How fast a dead host is noticed (Orleans' defaults unless configured): see infra/README.md.
            silo.Services.Configure<ClusterMembershipOptions>(section.GetSection("Membership"));
            // How long an unused grain stays in memory (Orleans' default: 15 minutes, looked at every minute).
            silo.Services.Configure<GrainCollectionOptions>(section.GetSection("GrainCollection"));
            silo.AddGroupsGrainStorage();
            silo.UseGroupsReminderService();
            // Live log streaming would show what the app logs to whoever opens the dashboard: off.
            if (options.Dashboard) silo.AddDashboard(dashboard => dashboard.HideTrace = true);
        });

        builder.Services.AddHealthChecks().AddCheck<ClusterHealthCheck>("cluster", tags: ["cluster"]);
        builder.Services.AddAuthorizationBuilder().AddPolicy(OperatorPolicy, policy => policy
            .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, IdentityConstants.BearerScheme)
            .RequireAuthenticatedUser()
            .RequireAssertion(context => IsOperator(context, builder.Configuration)));
        builder.AddGroupsTelemetry();
        return builder;
    }

    /// <summary>The dashboard, at /cluster/dashboard, when Cluster:Dashboard is on; operators only.</summary>
    public static WebApplication MapGroupsCluster(this WebApplication app)
    {
        if (app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<GroupsClusterOptions>>().Value.Dashboard)
            app.MapOrleansDashboard("cluster/dashboard").RequireAuthorization(OperatorPolicy);
        return app;
    }

    /// <summary>
    /// OpenTelemetry over OTLP, only when an endpoint is configured (<c>OpenTelemetry:Endpoint</c> or the standard
    /// OTEL_EXPORTER_OTLP_ENDPOINT): the app's own meters, ASP.NET Core, SignalR and Orleans.
    /// </summary>
    private static void AddGroupsTelemetry(this WebApplicationBuilder builder)
    {
        var endpoint = builder.Configuration["OpenTelemetry:Endpoint"] ?? builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"];
        if (string.IsNullOrWhiteSpace(endpoint)) return;
        var otlp = new Uri(endpoint);
        builder.Services.AddOpenTelemetry()
            .WithMetrics(metrics => metrics
                .AddMeter("BetweenSessions.Groups.Data", "BetweenSessions.Groups.Grains", "BetweenSessions.Groups.Web", "Microsoft.Orleans",
                    "Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "Microsoft.AspNetCore.Http.Connections",
                    "Microsoft.AspNetCore.SignalR")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = otlp))
            .WithTracing(tracing => tracing
                .AddSource("Microsoft.Orleans.Runtime", "Microsoft.Orleans.Application", "Microsoft.AspNetCore.SignalR.Server")
                .AddAspNetCoreInstrumentation()
                .AddOtlpExporter(o => o.Endpoint = otlp));
    }

    /// <summary>Operators are named by their account's email in <c>Cluster:Operators</c>; nobody is by default.</summary>
    private static bool IsOperator(AuthorizationHandlerContext context, IConfiguration configuration)
    {
        var operators = configuration.GetSection("Cluster:Operators").Get<string[]>() ?? [];
        var email = context.User.FindFirst(System.Security.Claims.ClaimTypes.Email)?.Value
            ?? context.User.Identity?.Name;
        return email is not null && operators.Contains(email, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>A port free at this moment: hosts on one machine (and parallel tests) never share a fixed one.</summary>
    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
