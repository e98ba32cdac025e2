using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

public static class TestGrains
{
    public static IServiceCollection Register(IServiceCollection services) => services
        .AddGrain<ICounterGrain, CounterGrain>()
        .AddGrain<ISequenceGrain, SequenceGrain>()
        .AddGrain<IBlockingGrain, BlockingGrain>()
        .AddGrain<IFlakyActivationGrain, FlakyActivationGrain>()
        .AddGrain<IStatefulGrain, StatefulGrain>()
        .AddGrain<IChatGrain, ChatGrain>()
        .AddGrain<IRelayGrain, RelayGrain>()
        .AddGrain<IConflictGrain, ConflictGrain>()
        .AddGrain<IBadGrain, BadGrain>()
        .AddGrain<IRemindedGrain, RemindedGrain>();
}

/// <summary>Reports activations, deactivations and overlapping turns to the probe.</summary>
public abstract class ProbedGrain(Probe probe) : Grain
{
    private int _inFlight;

    protected Probe Probe { get; } = probe;

    protected string Key => GrainId.Key;

    public override async Task OnActivateAsync(CancellationToken ct)
    {
        Probe.Activated(Key);
        if (Probe.GateActivation)
        {
            Probe.Set("activating:" + Key);
            await Probe.Signal("activate-gate:" + Key).Task;
        }
        if (Interlocked.Decrement(ref Probe.ActivationsToFail) >= 0)
            throw new InvalidOperationException($"activation {Probe.Activations(Key)} failed");
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        if (Probe.GateDeactivation)
        {
            Probe.Set("deactivating:" + Key);
            await Probe.Signal("deactivate-gate:" + Key).Task;
        }
        Probe.Deactivated(Key, reason.Code);
    }

    /// <summary>Runs a turn body that yields, flagging any other turn that runs meanwhile.</summary>
    protected async Task<T> Exclusive<T>(Func<T> body)
    {
        if (Interlocked.Increment(ref _inFlight) != 1) Probe.Overlapped();
        try
        {
            await Task.Yield();
            var result = body();
            await Task.Yield();
            return result;
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}

public interface ICounterGrain : IGrainWithGuidKey
{
    Task<int> Increment();

    Task<int> Get();

    Task Fail(string message);

    Task FailSynchronously();

    Task DeactivateAfterThis();

    Task<Guid> PrimaryKey();

    Task<GrainId> Identity();
}

public sealed class CounterGrain(Probe probe) : ProbedGrain(probe), ICounterGrain
{
    private int _count;

    public Task<int> Increment() => Exclusive(() => ++_count);

    public Task<int> Get() => Task.FromResult(_count);

    public async Task Fail(string message)
    {
        await Task.Yield();
        throw new InvalidOperationException(message);
    }

    public Task FailSynchronously() => throw new ArgumentException("thrown before any task existed");

    public Task DeactivateAfterThis()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task<Guid> PrimaryKey() => Task.FromResult(GetPrimaryKey());

    public Task<GrainId> Identity() => Task.FromResult(GrainId);
}

public interface ISequenceGrain : IGrainWithStringKey
{
    Task Append(int value);

    Task<int[]> Read();
}

public sealed class SequenceGrain(Probe probe) : ProbedGrain(probe), ISequenceGrain
{
    private readonly List<int> _values = [];

    public Task Append(int value) => Exclusive(() =>
    {
        _values.Add(value);
        return 0;
    });

    public Task<int[]> Read() => Task.FromResult(_values.ToArray());
}

public interface IBlockingGrain : IGrainWithStringKey
{
    /// <summary>Signals "entered:{key}" and waits for "release:{key}".</summary>
    Task<string> Block();

    Task<string> Ping();

    Task StartTimer(TimeSpan dueTime, TimeSpan period);

    Task StopTimer();

    Task DeactivateAfterThis();

    Task<string> CallSelf();
}

public sealed class BlockingGrain(Probe probe) : ProbedGrain(probe), IBlockingGrain
{
    private bool _inCall;
    private int _ticks;
    private IDisposable? _timer;

    public async Task<string> Block()
    {
        _inCall = true;
        Probe.Events.Enqueue("call-start");
        Probe.Set("entered:" + Key);
        await Probe.Signal("release:" + Key).Task;
        Probe.Events.Enqueue("call-end");
        _inCall = false;
        return Key;
    }

    public Task<string> Ping()
    {
        Probe.Events.Enqueue("ping");
        return Task.FromResult("pong");
    }

    public Task StartTimer(TimeSpan dueTime, TimeSpan period)
    {
        _timer = RegisterTimer(async () =>
        {
            if (_inCall) Probe.Overlapped();
            Probe.Events.Enqueue("tick");
            await Task.Yield();
            Probe.Set($"tick{++_ticks}:{Key}");
        }, dueTime, period);
        return Task.CompletedTask;
    }

    public Task StopTimer()
    {
        _timer?.Dispose();
        return Task.CompletedTask;
    }

    public Task DeactivateAfterThis()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public async Task<string> CallSelf()
    {
        var self = GrainFactory.GetGrain<IBlockingGrain>(Key);
        var inner = self.Ping();
        Probe.Set("self-called:" + Key);
        try
        {
            return await inner;
        }
        catch (TimeoutException ex)
        {
            Probe.Set("self-timeout:" + Key, ex.Message);
            return ex.Message;
        }
    }
}

public interface IFlakyActivationGrain : IGrainWithStringKey
{
    Task<int> Activations();
}

public sealed class FlakyActivationGrain(Probe probe) : ProbedGrain(probe), IFlakyActivationGrain
{
    public Task<int> Activations() => Task.FromResult(Probe.Activations(Key));
}

public sealed class CounterState
{
    public int Value { get; set; }

    public List<string> Items { get; set; } = [];
}

public sealed record Snapshot(int Persisted, int Transient, IReadOnlyList<string> Items);

public interface IStatefulGrain : IGrainWithStringKey
{
    Task<int> IncrementPersisted();

    Task SetTransient(int value);

    Task Add(string item);

    Task<Snapshot> Get();

    Task Clear();
}

public sealed class StatefulGrain(Probe probe) : Grain<CounterState>, IStatefulGrain
{
    private int _transient;

    public override Task OnActivateAsync(CancellationToken ct)
    {
        probe.Activated(GrainId.Key);
        probe.Events.Enqueue($"activated with {State.Value}");
        return Task.CompletedTask;
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct)
    {
        probe.Deactivated(GrainId.Key, reason.Code);
        return Task.CompletedTask;
    }

    public async Task<int> IncrementPersisted()
    {
        State.Value++;
        await WriteStateAsync();
        return State.Value;
    }

    public Task SetTransient(int value)
    {
        _transient = value;
        return Task.CompletedTask;
    }

    public async Task Add(string item)
    {
        State.Items.Add(item);
        await WriteStateAsync();
    }

    public Task<Snapshot> Get() => Task.FromResult(new Snapshot(State.Value, _transient, State.Items.ToList()));

    public Task Clear() => ClearStateAsync();
}

public interface IChatObserver : IGrainObserver
{
    void OnMessage(string text);
}

public interface IChatGrain : IGrainWithGuidKey
{
    Task Subscribe(IChatObserver observer);

    Task Unsubscribe(IChatObserver observer);

    Task Post(string text);

    Task<int> ObserverCount();
}

public sealed class ChatGrain(ILogger<ChatGrain> logger) : Grain, IChatGrain
{
    private readonly ObserverManager<IChatObserver> _observers = new(logger);

    public Task Subscribe(IChatObserver observer)
    {
        _observers.Subscribe(observer);
        return Task.CompletedTask;
    }

    public Task Unsubscribe(IChatObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public Task Post(string text)
    {
        _observers.Notify(o => o.OnMessage(text));
        return Task.CompletedTask;
    }

    public Task<int> ObserverCount() => Task.FromResult(_observers.Count);
}

public interface IConflictGrain : IGrainWithStringKey
{
    /// <summary>Fails the way a storage port does when its version is stale.</summary>
    Task SaveStale();

    Task<string> Ping();
}

public sealed class ConflictGrain(Probe probe) : ProbedGrain(probe), IConflictGrain
{
    public async Task SaveStale()
    {
        await Task.Yield();
        throw new InconsistentStateException("The circle changed since it was loaded.", "8", "7");
    }

    public Task<string> Ping() => Task.FromResult("pong");
}

public interface IRelayGrain : IGrainWithStringKey
{
    Task Relay(string conflictKey);

    Task<string> Ping();
}

public sealed class RelayGrain(Probe probe) : ProbedGrain(probe), IRelayGrain
{
    public Task Relay(string conflictKey) => GrainFactory.GetGrain<IConflictGrain>(conflictKey).SaveStale();

    public Task<string> Ping() => Task.FromResult("pong");
}

public interface IBadGrain : IGrainWithStringKey
{
    Task<int> Fine();

    int NotATask();
}

public sealed class BadGrain : Grain, IBadGrain
{
    public Task<int> Fine() => Task.FromResult(1);

    public int NotATask() => 1;
}

public interface IRemindedGrain : IGrainWithStringKey
{
    Task Remind(string name, TimeSpan dueTime, TimeSpan period);

    Task Forget(string name);

    Task<IReadOnlyList<string>> Reminders();

    Task Deactivate();
}

/// <summary>Reports each reminder tick as "key:name@tick" and signals "reminder{n}:key:name" for its n-th tick.</summary>
public sealed class RemindedGrain(Probe probe) : Grain, IRemindedGrain, IRemindable
{
    public override Task OnActivateAsync(CancellationToken ct)
    {
        probe.Activated(GrainId.Key);
        return Task.CompletedTask;
    }

    public Task Remind(string name, TimeSpan dueTime, TimeSpan period) => RegisterOrUpdateReminder(name, dueTime, period);

    public async Task Forget(string name)
    {
        if (await GetReminder(name) is { } reminder) await UnregisterReminder(reminder);
    }

    public async Task<IReadOnlyList<string>> Reminders() => (await GetReminders()).Select(r => r.ReminderName).ToList();

    public Task Deactivate()
    {
        DeactivateOnIdle();
        return Task.CompletedTask;
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        var key = GrainId.Key;
        probe.Events.Enqueue($"{key}:{reminderName}@{status.CurrentTickTime:HH:mm:ss}");
        var n = probe.Events.Count(e => e.StartsWith($"{key}:{reminderName}@", StringComparison.Ordinal));
        probe.Set($"reminder{n}:{key}:{reminderName}");
        return Task.CompletedTask;
    }
}
