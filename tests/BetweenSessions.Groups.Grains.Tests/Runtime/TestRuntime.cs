using System.Collections.Concurrent;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

/// <summary>
/// What test grains report back: activations, deactivations, overlaps, and named signals the test and the grains
/// use to hand control to each other without sleeping. One per runtime, so tests can run in parallel.
/// </summary>
public sealed class Probe
{
    private readonly ConcurrentDictionary<string, int> _activations = new();
    private readonly ConcurrentDictionary<string, TaskCompletionSource<string>> _signals = new();
    private int _live;
    private int _maxLive;
    private int _overlaps;

    public ConcurrentQueue<(string Key, DeactivationReasonCode Code)> Deactivations { get; } = new();

    public ConcurrentQueue<string> Events { get; } = new();

    /// <summary>How many upcoming activations should throw from OnActivateAsync.</summary>
    public int ActivationsToFail;

    /// <summary>When set, OnActivateAsync waits for the signal "activate-gate:{key}".</summary>
    public bool GateActivation { get; set; }

    /// <summary>When set, OnDeactivateAsync waits for the signal "deactivate-gate:{key}".</summary>
    public bool GateDeactivation { get; set; }

    public int Overlaps => Volatile.Read(ref _overlaps);

    public int MaxLive => Volatile.Read(ref _maxLive);

    public int Activations(string key) => _activations.GetValueOrDefault(key);

    public void Activated(string key)
    {
        _activations.AddOrUpdate(key, 1, (_, n) => n + 1);
        var live = Interlocked.Increment(ref _live);
        int max;
        while (live > (max = Volatile.Read(ref _maxLive)) && Interlocked.CompareExchange(ref _maxLive, live, max) != max)
        {
        }
    }

    public void Deactivated(string key, DeactivationReasonCode code)
    {
        Interlocked.Decrement(ref _live);
        Deactivations.Enqueue((key, code));
    }

    public void Overlapped() => Interlocked.Increment(ref _overlaps);

    public TaskCompletionSource<string> Signal(string name) =>
        _signals.GetOrAdd(name, _ => new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously));

    public void Set(string name, string value = "") => Signal(name).TrySetResult(value);

    public Task<string> WhenSet(string name) => Signal(name).Task.Within();
}

public static class TaskTestExtensions
{
    /// <summary>A guard against a hung test, not a performance assertion.</summary>
    public static Task<T> Within<T>(this Task<T> task) => task.WaitAsync(TimeSpan.FromSeconds(10));

    public static Task Within(this Task task) => task.WaitAsync(TimeSpan.FromSeconds(10));
}

/// <summary>A GrainRuntime built without a host, over the test grains.</summary>
public sealed class TestRuntime : IAsyncDisposable
{
    private readonly ServiceProvider _services;

    private TestRuntime(ServiceProvider services, GrainRuntime runtime)
    {
        _services = services;
        Runtime = runtime;
    }

    public GrainRuntime Runtime { get; }

    public IGrainFactory Factory => Runtime;

    public Probe Probe => _services.GetRequiredService<Probe>();

    public IGrainStorage Storage => _services.GetRequiredService<IGrainStorage>();

    public static TestRuntime Create(TimeProvider? clock = null, IGrainStorage? storage = null,
        Action<GrainRuntimeOptions>? configure = null, ILoggerProvider? logs = null, IReminderTable? reminders = null,
        Probe? probe = null)
    {
        var services = new ServiceCollection()
            .AddLogging(logging =>
            {
                if (logs is not null) logging.AddProvider(logs);
            })
            .AddSingleton(probe ?? new Probe())
            .AddSingleton(storage ?? new MemoryGrainStorage())
            .AddSingleton(reminders ?? new MemoryReminderTable());
        TestGrains.Register(services);
        var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });

        var options = new GrainRuntimeOptions();
        configure?.Invoke(options);
        var runtime = new GrainRuntime(provider, Options.Create(options),
            provider.GetRequiredService<ILogger<GrainRuntime>>(), clock ?? TimeProvider.System);
        return new TestRuntime(provider, runtime);
    }

    public async ValueTask DisposeAsync()
    {
        await Runtime.StopAsync(CancellationToken.None).Within();
        await _services.DisposeAsync();
    }
}

/// <summary>Keeps log entries so tests can check what is (and is not) written.</summary>
public sealed class CapturingLoggerProvider : ILoggerProvider, ILogger
{
    public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => this;

    public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

    public bool IsEnabled(LogLevel logLevel) => true;

    public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception,
        Func<TState, Exception?, string> formatter) =>
        Entries.Enqueue((logLevel, formatter(state, exception), exception));

    public void Dispose()
    {
    }
}
