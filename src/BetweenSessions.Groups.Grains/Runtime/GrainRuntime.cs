using System.Collections.Concurrent;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>A grain interface and the class that implements it, as registered by AddGrain.</summary>
internal sealed record GrainRegistration(Type GrainInterface, Type GrainClass)
{
    public bool HasGuidKey => typeof(IGrainWithGuidKey).IsAssignableFrom(GrainInterface);

    /// <summary>The grain type in <see cref="GrainId"/> and the default state name: the class name, as in Orleans.</summary>
    public string TypeName => GrainClass.Name;
}

/// <summary>
/// The in-process stand-in for an Orleans silo: a directory of activations keyed by <see cref="GrainId"/>, the
/// factory for grain references, the idle collector and, as a hosted service, orderly shutdown.
/// </summary>
public sealed class GrainRuntime : IGrainFactory, IHostedService
{
    private readonly ConcurrentDictionary<GrainId, Activation> _activations = new();
    private readonly Dictionary<Type, GrainRegistration> _registrations = [];
    private readonly Dictionary<string, GrainRegistration> _registrationsByTypeName = new(StringComparer.Ordinal);
    private readonly GrainRuntimeOptions _options;
    private readonly CancellationTokenSource _abort = new();
    private CancellationTokenSource? _collectorStop;
    private Task? _collector;
    private volatile bool _stopping;

    public GrainRuntime(IServiceProvider services, IOptions<GrainRuntimeOptions> options, ILogger<GrainRuntime> logger,
        TimeProvider timeProvider)
    {
        Services = services;
        Logger = logger;
        Time = timeProvider;
        _options = options.Value;
        if (_options.IdleTimeout <= TimeSpan.Zero || _options.CollectionInterval <= TimeSpan.Zero)
            throw new ArgumentException("GrainRuntimeOptions.IdleTimeout and CollectionInterval must be positive.");

        var typeNames = new Dictionary<string, Type>(StringComparer.Ordinal);
        foreach (var registration in services.GetServices<GrainRegistration>())
        {
            if (_registrations.TryGetValue(registration.GrainInterface, out var existing) && existing.GrainClass != registration.GrainClass)
                throw new InvalidOperationException(
                    $"{registration.GrainInterface.Name} is registered to both {existing.GrainClass.Name} and {registration.GrainClass.Name}.");
            // The class name is the grain's identity in storage, so two classes must not share it.
            if (typeNames.TryGetValue(registration.TypeName, out var other) && other != registration.GrainClass)
                throw new InvalidOperationException(
                    $"Grain classes {other.FullName} and {registration.GrainClass.FullName} share the name {registration.TypeName}.");
            typeNames[registration.TypeName] = registration.GrainClass;
            _registrations[registration.GrainInterface] = registration;
            _registrationsByTypeName[registration.TypeName] = registration;
        }

        if (_options.ReminderRefresh <= TimeSpan.Zero) throw new ArgumentException("GrainRuntimeOptions.ReminderRefresh must be positive.");
        if (services.GetService(typeof(IReminderTable)) is IReminderTable table)
            Reminders = new ReminderService(this, table, _options.ReminderRefresh, logger);
    }

    /// <summary>Null when no <see cref="IReminderTable"/> is registered; grains then cannot register reminders.</summary>
    internal ReminderService? Reminders { get; }

    /// <summary>
    /// One pass of the reminder service now: claims every tick due by the clock and waits for their delivery. The
    /// hosted loop does this by itself; tests call it to know that nothing more is due. Deliveries the hosted loop
    /// started meanwhile (a manual clock that moved wakes it too) are waited for as well, so that a test that returns
    /// from here sees every tick due by now delivered, whichever of the two claimed it.
    /// </summary>
    public async Task FireDueRemindersAsync()
    {
        if (Reminders is null) return;
        await await Reminders.FireDueAsync();
        await Reminders.DeliveriesInFlight();
    }

    public int ActivationCount => _activations.Count;

    internal IServiceProvider Services { get; }

    internal ILogger Logger { get; }

    internal TimeProvider Time { get; }

    internal bool IsStopping => _stopping;

    /// <summary>Handed to OnActivateAsync/OnDeactivateAsync; cancelled only when the host gives up waiting for shutdown.</summary>
    internal CancellationToken AbortToken => _abort.Token;

    public bool IsActive(GrainId id) => _activations.TryGetValue(id, out var activation) && activation.IsLive;

    public TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey => GetReference<TGrain>(key.ToString("D"));

    public TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey
    {
        ArgumentNullException.ThrowIfNull(key);
        return GetReference<TGrain>(key);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _collectorStop = new CancellationTokenSource();
        _collector = CollectPeriodicallyAsync(_collectorStop.Token);
        Reminders?.Start();
        return Task.CompletedTask;
    }

    /// <summary>Deactivates every activation (reason ShuttingDown) after its accepted calls finish; new activations are refused.</summary>
    public async Task StopAsync(CancellationToken cancellationToken)
    {
        // Reminders first: their deliveries are calls, which must reach activations before these are deactivated.
        if (Reminders is not null) await Reminders.StopAsync().WaitAsync(cancellationToken);
        _stopping = true;
        if (_collectorStop is not null)
        {
            await _collectorStop.CancelAsync();
            await _collector!;
        }

        await using var abort = cancellationToken.Register(() => _abort.Cancel());
        // Loop, because a call that passed the stopping check just before it was set may still add an activation.
        while (!_activations.IsEmpty)
        {
            var deactivations = _activations.Values.Select(activation =>
            {
                activation.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ShuttingDown, "The host is stopping"));
                return activation.Deactivated;
            }).ToList();
            await Task.WhenAll(deactivations).WaitAsync(cancellationToken);
        }
    }

    /// <summary>One pass of the idle collector; the hosted service calls it every CollectionInterval.</summary>
    internal async Task CollectIdleActivationsAsync()
    {
        var now = Time.GetUtcNow();
        var collected = _activations.Values
            .Where(activation => activation.TryBeginIdleDeactivation(now, _options.IdleTimeout))
            .Select(activation => activation.Deactivated)
            .ToList();
        await Task.WhenAll(collected);
        if (collected.Count > 0) Logger.LogDebug("Collected {Count} idle activations", collected.Count);
    }

    internal async Task<T> InvokeAsync<T>(GrainRegistration registration, GrainId id, MethodInfo method, Func<Grain, Task<T>> invoke)
    {
        var call = new CallItem<T>(invoke);
        var fromOwnTurn = Activation.Current is { } current && current.Runtime == this && current.Id == id;
        Route(registration, id, call);
        if (_options.CallTimeout is not { } timeout) return await call.Task;

        try
        {
            return await call.Task.WaitAsync(timeout, Time);
        }
        catch (TimeoutException ex) when (!ReferenceEquals(ex, call.Task.Exception?.InnerException))
        {
            var message = $"The call {id}.{method.Name} did not complete within {timeout}; the grain's turn is not aborted.";
            if (!fromOwnTurn) throw new TimeoutException(message);
            Logger.LogWarning("{GrainId} timed out awaiting a call to itself; grains are not reentrant", id);
            throw new TimeoutException(message + " It was called from a turn of the same activation: grains are not " +
                "reentrant, so a grain that awaits a call to itself waits until this timeout.");
        }
    }

    /// <summary>Runs a reminder tick as a call of the grain <paramref name="id"/>, activating it if needed.</summary>
    internal Task DeliverReminderAsync(GrainId id, string reminderName, TickStatus status)
    {
        if (!_registrationsByTypeName.TryGetValue(id.Type, out var registration))
        {
            Logger.LogWarning("A reminder is due for grain type {GrainType}, which this host does not know; it is not delivered", id.Type);
            return Task.CompletedTask;
        }
        return InvokeAsync(registration, id, ReceiveReminderMethod, async grain =>
        {
            if (grain is not IRemindable remindable)
                throw new InvalidOperationException($"{registration.GrainClass.Name} has a reminder but does not implement IRemindable.");
            await remindable.ReceiveReminder(reminderName, status);
            return true;
        });
    }

    private static readonly MethodInfo ReceiveReminderMethod = typeof(IRemindable).GetMethod(nameof(IRemindable.ReceiveReminder))!;

    internal Grain CreateGrain(GrainRegistration registration) =>
        (Grain)ActivatorUtilities.CreateInstance(Services, registration.GrainClass);

    internal void Remove(Activation activation) =>
        _activations.TryRemove(new KeyValuePair<GrainId, Activation>(activation.Id, activation));

    internal void Replace(Activation activation, Activation successor) =>
        _activations.TryUpdate(activation.Id, successor, activation);

    private TGrain GetReference<TGrain>(string key)
    {
        if (!_registrations.TryGetValue(typeof(TGrain), out var registration))
            throw new InvalidOperationException(
                $"No grain class is registered for {typeof(TGrain).Name}; call services.AddGrain<{typeof(TGrain).Name}, TGrainClass>().");
        return (TGrain)GrainProxy.Create(this, registration, new GrainId(registration.TypeName, key));
    }

    private void Route(GrainRegistration registration, GrainId id, WorkItem item)
    {
        while (true)
        {
            if (!_activations.TryGetValue(id, out var activation))
            {
                if (_stopping) throw new InvalidOperationException($"The grain runtime is shutting down; {id} cannot be activated.");
                activation = _activations.GetOrAdd(id, static (id, state) => new Activation(state.Runtime, state.Registration, id),
                    (Runtime: this, Registration: registration));
            }
            // Refused only by an activation that has already left the directory, so the next lookup finds its successor.
            if (activation.TryEnqueue(item)) return;
        }
    }

    private async Task CollectPeriodicallyAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(_options.CollectionInterval, Time);
        try
        {
            while (await timer.WaitForNextTickAsync(ct))
            {
                try
                {
                    await CollectIdleActivationsAsync();
                }
                catch (Exception ex)
                {
                    Logger.LogError(ex, "Idle collection failed");
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }
}
