using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>
/// Base class of every grain. The runtime creates instances (constructor injection from the root service provider,
/// so take singletons, factories and loggers, never scoped services) and runs each call as a turn: one at a time,
/// in arrival order. Grains are not reentrant: a grain that awaits a call to itself, directly or through another
/// grain, waits until <see cref="GrainRuntimeOptions.CallTimeout"/> fails that call.
/// </summary>
public abstract class Grain
{
    private Activation? _activation;

    public GrainId GrainId { get; private set; }

    protected IGrainFactory GrainFactory => Activation.Runtime;

    internal Activation Activation =>
        _activation ?? throw new InvalidOperationException(
            $"{GetType().Name} is not activated. Grains are created by the GrainRuntime; get a reference from IGrainFactory instead.");

    /// <summary>Called by the runtime before any activation code runs.</summary>
    internal void Attach(Activation activation)
    {
        _activation = activation;
        GrainId = activation.Id;
    }

    protected Guid GetPrimaryKey() =>
        Activation.Registration.HasGuidKey
            ? Guid.Parse(GrainId.Key)
            : throw new InvalidOperationException($"{GrainId} has a string key; use GetPrimaryKeyString().");

    protected string GetPrimaryKeyString() => GrainId.Key;

    public virtual Task OnActivateAsync(CancellationToken ct) => Task.CompletedTask;

    public virtual Task OnDeactivateAsync(DeactivationReason reason, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// True while this activation must not be collected when idle, for example while observers are subscribed:
    /// they would silently stop hearing from a fresh activation. Read by the collector between turns.
    /// (Orleans: DelayDeactivation, or the [KeepAlive] attribute when it holds for the grain's whole life.)
    /// </summary>
    protected internal virtual bool KeepAliveWhenIdle => false;

    /// <summary>Deactivates this activation once the current turn ends; later calls go to a fresh activation.</summary>
    protected void DeactivateOnIdle() =>
        Activation.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.ApplicationRequested, "DeactivateOnIdle"));

    /// <summary>
    /// Runs <paramref name="callback"/> as a turn of this grain, never alongside a call. The next period starts when the
    /// callback's task completes, so ticks never pile up. Timers do not keep the grain alive and stop at deactivation.
    /// </summary>
    protected IDisposable RegisterTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period) =>
        Activation.RegisterTimer(callback, dueTime, period);

    /// <summary>
    /// Creates or replaces the durable reminder <paramref name="reminderName"/> of this grain: first due after
    /// <paramref name="dueTime"/>, then every <paramref name="period"/> (<see cref="Timeout.InfiniteTimeSpan"/>: once).
    /// Unlike a timer it is stored, survives deactivation and restarts, activates the grain when due and fires each
    /// tick on one host only. The grain must implement <see cref="IRemindable"/>.
    /// </summary>
    protected async Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reminderName);
        if (reminderName.Length > 128) throw new ArgumentOutOfRangeException(nameof(reminderName), "At most 128 characters.");
        if (dueTime < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(dueTime));
        if (period != Timeout.InfiniteTimeSpan && period < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(period), "Use at least one second, or Timeout.InfiniteTimeSpan for a single tick.");
        if (this is not IRemindable)
            throw new InvalidOperationException($"{GetType().Name} registers a reminder but does not implement IRemindable.");
        var reminders = ReminderService;
        var entry = await reminders.Table.UpsertAsync(GrainId, reminderName, Activation.Runtime.Time.GetUtcNow() + dueTime, period);
        reminders.Wake();
        return entry;
    }

    /// <summary>Registers a reminder due at <paramref name="dueAt"/> (at once if that has passed).</summary>
    protected Task<IGrainReminder> RegisterOrUpdateReminder(string reminderName, DateTimeOffset dueAt, TimeSpan period)
    {
        var dueTime = dueAt - Activation.Runtime.Time.GetUtcNow();
        return RegisterOrUpdateReminder(reminderName, dueTime < TimeSpan.Zero ? TimeSpan.Zero : dueTime, period);
    }

    protected async Task UnregisterReminder(IGrainReminder reminder)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        await ReminderService.Table.RemoveAsync(GrainId, reminder.ReminderName);
        ReminderService.Wake();
    }

    /// <summary>
    /// Keeps the one-shot reminder <paramref name="reminderName"/> due at <paramref name="dueAt"/>, or none when that
    /// is null. It is written only when the due time changes, so a grain can re-arm after every change it makes.
    /// </summary>
    protected async Task ArmOneShotReminder(string reminderName, DateTimeOffset? dueAt)
    {
        var armed = await GetReminder(reminderName) as ReminderEntry;
        if (dueAt is not { } due)
        {
            if (armed is not null) await UnregisterReminder(armed);
        }
        else if (armed?.NextDue != ReminderTime.Normalize(due))
        {
            await RegisterOrUpdateReminder(reminderName, due, Timeout.InfiniteTimeSpan);
        }
    }

    protected async Task<IGrainReminder?> GetReminder(string reminderName) =>
        await ReminderService.Table.ReadAsync(GrainId, reminderName);

    protected async Task<IReadOnlyList<IGrainReminder>> GetReminders() =>
        await ReminderService.Table.ReadAsync(GrainId);

    private ReminderService ReminderService =>
        Activation.Runtime.Reminders ?? throw new InvalidOperationException(
            $"{GetType().Name} uses reminders but no IReminderTable is registered in the service provider.");

    /// <summary>Hook for <see cref="Grain{TState}"/> to load state before user activation code runs.</summary>
    internal virtual Task ActivateCoreAsync(CancellationToken ct) => OnActivateAsync(ct);
}

/// <summary>
/// A grain with one persisted state object, read from <see cref="IGrainStorage"/> before
/// <see cref="Grain.OnActivateAsync"/>. Writes are conditional on the version read; a stale write throws
/// <see cref="InconsistentStateException"/>, after which the runtime deactivates this activation so the next call
/// starts from what is stored; so does any other failed write.
/// </summary>
public abstract class Grain<TState> : Grain where TState : new()
{
    private readonly GrainState<TState> _grainState = new(new TState());
    private IGrainStorage? _storage;

    protected TState State
    {
        get => _grainState.State;
        set => _grainState.State = value;
    }

    protected virtual string StateName => GetType().Name;

    protected Task ReadStateAsync() => Storage.ReadStateAsync(StateName, GrainId, _grainState);

    protected Task WriteStateAsync() => Persist(() => Storage.WriteStateAsync(StateName, GrainId, _grainState));

    protected Task ClearStateAsync() => Persist(() => Storage.ClearStateAsync(StateName, GrainId, _grainState));

    /// <summary>
    /// A write that failed (the database unreachable, say) leaves this activation's state ahead of what is stored:
    /// kept, it would answer as if the change had been made, and a retry would be taken for a repeat. So the
    /// activation goes once this turn ends, and the next call starts from what is stored. (Orleans keeps the
    /// activation; a version conflict already deactivates it here, in <see cref="Activation.OnTurnFailed"/>.)
    /// </summary>
    private async Task Persist(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception ex) when (ex is not InconsistentStateException)
        {
            Activation.RequestDeactivation(new DeactivationReason(DeactivationReasonCode.StateWriteFailed, ex.GetType().Name));
            throw;
        }
    }

    private IGrainStorage Storage =>
        _storage ??= Activation.Runtime.Services.GetService<IGrainStorage>()
            ?? throw new InvalidOperationException(
                $"{GetType().Name} keeps persistent state but no IGrainStorage is registered in the service provider.");

    internal override async Task ActivateCoreAsync(CancellationToken ct)
    {
        await ReadStateAsync();
        await OnActivateAsync(ct);
    }
}
