using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using BetweenSessions.Groups.Grains.Hosting;
using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Grains.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.Reminders;
using Orleans.Storage;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>
/// The grains as the app registers them (<c>AddGroupsGrains</c>) in an in-process Orleans silo, over grain storage,
/// a reminder table and a circle store the test owns: a test keeps those and starts a second silo on them to play a
/// restart. With a fake clock, grains and reminders follow it while Orleans' own machinery (messaging, membership,
/// activation collection) keeps real time, so moving the clock a week on times out nothing.
/// </summary>
internal sealed class GroupsGrainHost : IAsyncDisposable
{
    /// <summary>A guard against a hung test, never a performance assertion.</summary>
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    private readonly IHost _host;
    private readonly ReminderProbe _probe;
    private readonly InMemoryReminderTable _reminders;
    private bool _stopped;

    private GroupsGrainHost(IHost host, ReminderProbe probe, InMemoryReminderTable reminders, FakeTimeProvider? clock)
    {
        _host = host;
        _probe = probe;
        _reminders = reminders;
        Clock = clock;
    }

    public IServiceProvider Services => _host.Services;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public FakeTimeProvider? Clock { get; }

    /// <summary>Every tick this silo handed to a grain so far, in order.</summary>
    public IReadOnlyList<ReminderProbe.Tick> Ticks => _probe.Ticks;

    public static async Task<GroupsGrainHost> StartAsync(
        IGrainStorage storage, InMemoryReminderTable reminders, InMemoryCircleStore store, FakeTimeProvider? clock = null,
        NudgeEmailChannel? email = null)
    {
        // A free port can be taken by a parallel test between picking it and binding it: then try other ports.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await StartOnceAsync(storage, reminders, store, clock, email);
            }
            catch (Exception ex) when (attempt < 3 && IsAddressInUse(ex))
            {
            }
        }
    }

    private static bool IsAddressInUse(Exception? ex)
    {
        for (; ex is not null; ex = ex.InnerException)
            if (ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || ex.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
                return true;
        return false;
    }

    private static async Task<GroupsGrainHost> StartOnceAsync(
        IGrainStorage storage, InMemoryReminderTable reminders, InMemoryCircleStore store, FakeTimeProvider? clock,
        NudgeEmailChannel? email)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, EnvironmentName = "Development" });
        builder.Logging.ClearProviders();
        builder.Logging.SetMinimumLevel(LogLevel.Warning);
        builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(30));
        var services = builder.Services;
        TimeProvider time = clock ?? TimeProvider.System;
        // The grains' clock and the reminders' clock; Orleans' own areas stay on real time.
        services.AddSingleton(time);
        services.AddKeyedSingleton<TimeProvider>(ReminderTimeProviderNames.Reminders, time);
        services.AddKeyedSingleton<TimeProvider>(TimeProviderNames.Grains, time);
        foreach (var area in new[] { TimeProviderNames.Messaging, TimeProviderNames.SystemTimers, TimeProviderNames.Membership,
                     TimeProviderNames.ActivationManagement, TimeProviderNames.GrainDirectory })
            services.AddKeyedSingleton<TimeProvider>(area, TimeProvider.System);
        services.AddKeyedSingleton<IGrainStorage>(GroupsStorage.Name, storage);
        services.AddSingleton<IReminderTable>(reminders);
        services.AddSingleton<ICircleStore>(store);
        services.AddSingleton<ICircleDirectory>(store);
        if (email is not null) services.AddSingleton(email);
        services.AddGroupsGrains();
        builder.UseOrleans(silo =>
        {
            silo.UseLocalhostClustering(siloPort: FreePort(), gatewayPort: FreePort(), serviceId: "groups-tests",
                clusterId: "groups-tests-" + Guid.NewGuid().ToString("N"));
            silo.AddReminders();
            silo.Configure<ReminderOptions>(o =>
            {
                // Every reminder is loaded as soon as it is registered or the silo starts, and waits on the fake clock.
                o.ReminderLoadingWindow = TimeSpan.FromDays(3650);
                o.RefreshReminderListPeriod = TimeSpan.FromDays(1);
                o.InitializationTimeout = TimeSpan.FromSeconds(30);
            });
        });

        var host = builder.Build();
        var probe = new ReminderProbe { Silo = host.Services.GetRequiredService<ILocalSiloDetails>().SiloAddress };
        try
        {
            await host.StartAsync().WaitAsync(Patience);
            // Reminders registered before the service has read the table would wait for it; start once it has.
            await probe.Started.WaitAsync(Patience);
        }
        catch
        {
            probe.Dispose();
            host.Dispose();
            throw;
        }
        return new GroupsGrainHost(host, probe, reminders, clock);
    }

    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        try
        {
            await _host.StopAsync().WaitAsync(Patience);
        }
        finally
        {
            _probe.Dispose();
            _host.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    /// <summary>
    /// Moves the fake clock on to <paramref name="instant"/>, stopping at every instant a reminder is due on the way,
    /// and returns once every tick due by then has been delivered (and whatever it armed waits for its own time).
    /// Orleans' rules apply: a tick armed for an instant already passed fires at the clock's next move (a millisecond
    /// later), and a reminder that went untouched by its tick comes again a period later.
    /// </summary>
    public async Task UntilAsync(DateTimeOffset instant)
    {
        var clock = Clock ?? throw new InvalidOperationException("This host runs on the system clock.");
        await SettledAsync([]);
        while (true)
        {
            var now = clock.GetUtcNow();
            var due = _reminders.All().Select(r => (Row: r, At: NextTick(r, now))).Where(r => r.At <= instant).ToList();
            if (due.Count == 0)
            {
                if (instant > now) clock.SetUtcNow(instant);
                await SettledAsync([]);
                return;
            }
            var next = due.Min(r => r.At);
            var expected = due.Where(r => r.At == next).Select(r => r.Row).ToList();
            clock.SetUtcNow(next);
            await SettledAsync(expected);
        }
    }

    /// <summary>The next instant Orleans fires this reminder at, seen from <paramref name="now"/>.</summary>
    private DateTimeOffset NextTick(ReminderEntry row, DateTimeOffset now)
    {
        var start = new DateTimeOffset(row.StartAt.Ticks, TimeSpan.Zero);
        if (start > now) return start;
        var sinceLast = (now - start).Ticks % row.Period.Ticks;
        if (sinceLast == 0 && !FiredAt(row, now))
            return now + TimeSpan.FromMilliseconds(1); // armed "due now": Orleans waits a millisecond
        return now + TimeSpan.FromTicks(row.Period.Ticks - sinceLast);
    }

    private bool FiredAt(ReminderEntry row, DateTimeOffset now) =>
        _probe.Ticks.Any(t => t.Grain == row.GrainId && t.Name == row.ReminderName
            && t.FirstTickTime.Ticks == row.StartAt.Ticks && t.CurrentTickTime.Ticks == now.UtcTicks);

    /// <summary>
    /// Until each expected tick was delivered (or its reminder changed or went before it fired) and every reminder
    /// waits on the clock again. Polls: the wait is bounded and only ever a guard against a hang.
    /// </summary>
    private async Task SettledAsync(IReadOnlyList<ReminderEntry> expected)
    {
        var deadline = Stopwatch.StartNew();
        var ticksBefore = _probe.Ticks.Count;
        while (true)
        {
            var ticks = _probe.Ticks.Skip(ticksBefore).ToList();
            var rows = _reminders.All().ToDictionary(r => (r.GrainId, r.ReminderName));
            var outstanding = expected.Where(e =>
                !ticks.Any(t => t.Grain == e.GrainId && t.Name == e.ReminderName)
                && rows.TryGetValue((e.GrainId, e.ReminderName), out var row) && row.ETag == e.ETag).ToList();
            if (outstanding.Count == 0 && _probe.Settled) return;
            if (deadline.Elapsed > Patience)
                throw new TimeoutException($"Reminders did not settle: expected [{string.Join(", ", outstanding.Select(o => $"{o.GrainId}/{o.ReminderName}"))}]; {_probe.Describe()}");
            await Task.Delay(5);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
