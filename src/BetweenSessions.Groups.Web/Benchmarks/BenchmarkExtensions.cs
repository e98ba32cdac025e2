using System.Net;
using System.Runtime;
using System.Runtime.InteropServices;
using BetweenSessions.Groups.Web.Realtime;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Benchmarks;

/// <summary>
/// Benchmark mode (docs/performance.md, build/bench.sh): a bare hub to compare the durable path against, a seeding
/// endpoint and a memory probe. Off unless <c>Benchmarks:Enabled</c> is true, which no appsettings file sets; when off
/// nothing here is registered or mapped. When on, it still answers loopback callers only.
/// </summary>
internal static class BenchmarkExtensions
{
    public const string Section = "Benchmarks";
    public const string BareHubPath = "/hubs/bench";
    public const string EndpointsPath = "/bench";

    public static bool IsEnabled(IConfiguration configuration) => configuration.GetValue<bool>($"{Section}:Enabled");

    public static IHostApplicationBuilder AddGroupsBenchmarks(this IHostApplicationBuilder builder)
    {
        if (!IsEnabled(builder.Configuration)) return builder;
        var services = builder.Services;
        services.AddSingleton<OpenConnections>();
        services.AddScoped<CircuitHandler, OpenConnections.CircuitCounter>();
        services.AddSingleton<BareHubSequence>();
        services.AddSingleton<ServerStats>();
        services.AddScoped<BenchmarkSeeder>();
        // Counted per hub, so the memory probe can wait until the server has really let go of closed connections.
        services.AddSignalR()
            .AddHubOptions<CircleHub>(options => options.AddFilter<OpenConnections.HubCounter>())
            .AddHubOptions<BareHub>(options =>
            {
                options.MaximumReceiveMessageSize = 32 * 1024;
                options.AddFilter<OpenConnections.HubCounter>();
            });
        return builder;
    }

    public static WebApplication MapGroupsBenchmarks(this WebApplication app)
    {
        if (!IsEnabled(app.Configuration)) return app;
        app.Services.GetRequiredService<ServerStats>();
        app.Logger.LogWarning(
            "Benchmark mode is on ({Section}:Enabled): {Endpoints} and {BareHub} seed accounts and bypass the circles. Never in production.",
            Section, EndpointsPath, BareHubPath);
        app.UseWhen(
            context => context.Request.Path.StartsWithSegments(EndpointsPath) || context.Request.Path.StartsWithSegments(BareHubPath),
            loopbackOnly => loopbackOnly.Use(async (context, next) =>
            {
                if (context.Connection.RemoteIpAddress is { } address && IPAddress.IsLoopback(address)) await next(context);
                else context.Response.StatusCode = StatusCodes.Status404NotFound;
            }));

        var bench = app.MapGroup(EndpointsPath).WithTags("Benchmarks");
        bench.MapPost("seed", async (SeedRequest request, BenchmarkSeeder seeder, CancellationToken ct) =>
            TypedResults.Ok(await seeder.SeedAsync(request, ct)));
        bench.MapPost("memory", (OpenConnections open) => TypedResults.Ok(MemoryProbe.Measure(open)));
        // What the app's own meters recorded since the previous call (each load phase takes one).
        bench.MapPost("stats", (ServerStats stats) => TypedResults.Ok(stats.TakeAndReset()));
        bench.MapGet("server", (OpenConnections open, IConfiguration configuration) => TypedResults.Ok(new
        {
            Runtime = RuntimeInformation.FrameworkDescription,
            Os = RuntimeInformation.OSDescription,
            Environment.ProcessorCount,
            GCSettings.IsServerGC,
            DatabaseProvider = configuration["Database:Provider"] ?? "sqlite",
            Environment.ProcessId,
            Open = new { open.CircleHub, open.BareHub, open.Circuits, open.CircuitsOpened },
        }));
        app.MapHub<BareHub>(BareHubPath);
        return app;
    }
}

/// <summary>Hub connections and Blazor circuits as the server sees them.</summary>
internal sealed class OpenConnections
{
    private int _circleHub;
    private int _bareHub;
    private int _circuits;
    private int _circuitsOpened;

    public int CircleHub => Volatile.Read(ref _circleHub);
    public int BareHub => Volatile.Read(ref _bareHub);
    public int Circuits => Volatile.Read(ref _circuits);

    /// <summary>Every circuit ever opened: closed ones linger for minutes (Blazor keeps them for a reconnect).</summary>
    public int CircuitsOpened => Volatile.Read(ref _circuitsOpened);

    private ref int CounterOf(Hub hub) => ref hub is BareHub ? ref _bareHub : ref _circleHub;

    internal sealed class HubCounter(OpenConnections open) : IHubFilter
    {
        public async Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
        {
            await next(context);
            Interlocked.Increment(ref open.CounterOf(context.Hub));
        }

        public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
        {
            try
            {
                await next(context, exception);
            }
            finally
            {
                Interlocked.Decrement(ref open.CounterOf(context.Hub));
            }
        }
    }

    internal sealed class CircuitCounter(OpenConnections open) : CircuitHandler
    {
        public override Task OnCircuitOpenedAsync(Circuit circuit, CancellationToken ct)
        {
            Interlocked.Increment(ref open._circuits);
            Interlocked.Increment(ref open._circuitsOpened);
            return Task.CompletedTask;
        }

        public override Task OnCircuitClosedAsync(Circuit circuit, CancellationToken ct)
        {
            Interlocked.Decrement(ref open._circuits);
            return Task.CompletedTask;
        }
    }
}

internal sealed record MemoryReading(
    long ManagedHeapBytes, long WorkingSetBytes, long PrivateBytes, int CircleHubConnections, int BareHubConnections, int Circuits);

internal static class MemoryProbe
{
    /// <summary>After full, compacting collections, so the managed figure holds only what is still reachable.</summary>
    public static MemoryReading Measure(OpenConnections open)
    {
        for (var i = 0; i < 2; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        using var process = System.Diagnostics.Process.GetCurrentProcess();
        return new MemoryReading(GC.GetTotalMemory(forceFullCollection: false), process.WorkingSet64, process.PrivateMemorySize64,
            open.CircleHub, open.BareHub, open.Circuits);
    }
}
