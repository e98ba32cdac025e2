using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>
/// One live instance of a grain and its queue of turns. A single pump drains the queue, so turns never overlap and run
/// in arrival order; the pump runs only while there is work, so idle activations cost no thread or task.
/// </summary>
internal sealed class Activation(GrainRuntime runtime, GrainRegistration registration, GrainId id)
{
    private static readonly AsyncLocal<Activation?> CurrentActivation = new();

    private enum Status { Created, Active, Deactivating, Deactivated }

    // Guards every field below, so "accept a call" and "decide to deactivate" can never interleave.
    private readonly Lock _lock = new();
    private readonly Queue<WorkItem> _queue = new();
    private readonly List<GrainTimer> _timers = [];
    private readonly TaskCompletionSource _deactivated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Status _status;
    private bool _pumping;
    private DeactivationReason? _pendingDeactivation;
    private DateTimeOffset _lastCallCompletedAt;
    private Grain? _grain;

    /// <summary>The activation whose turn is running on this async flow, if any.</summary>
    public static Activation? Current => CurrentActivation.Value;

    public GrainRuntime Runtime { get; } = runtime;

    public GrainRegistration Registration { get; } = registration;

    public GrainId Id { get; } = id;

    /// <summary>Completes once the activation has left the directory (after OnDeactivateAsync, or a failed activation).</summary>
    public Task Deactivated => _deactivated.Task;

    public bool IsLive
    {
        get { lock (_lock) return _status != Status.Deactivated; }
    }

    /// <summary>
    /// Queues a turn. Returns false only once the activation has left the directory; the caller then looks again and
    /// finds its successor. A deactivating activation still accepts work, which it hands on to its successor in order.
    /// </summary>
    public bool TryEnqueue(WorkItem item)
    {
        lock (_lock)
        {
            if (_status == Status.Deactivated) return false;
            _queue.Enqueue(item);
            if (_pumping) return true;
            _pumping = true;
        }
        StartPump();
        return true;
    }

    public void RequestDeactivation(DeactivationReason reason)
    {
        var start = false;
        lock (_lock)
        {
            if (_status >= Status.Deactivating || _pendingDeactivation is not null) return;
            _pendingDeactivation = reason;
            if (!_pumping) start = _pumping = true;
        }
        DisposeTimers();
        if (start) StartPump();
    }

    public bool TryBeginIdleDeactivation(DateTimeOffset now, TimeSpan idleTimeout)
    {
        lock (_lock)
        {
            // Not pumping means nothing queued and nothing running.
            if (_status != Status.Active || _pumping || _pendingDeactivation is not null) return false;
            if (now - _lastCallCompletedAt < idleTimeout) return false;
            // Safe to ask the grain: holding the lock with no pump running means no turn can be running or start.
            if (_grain?.KeepAliveWhenIdle == true) return false;
            _pendingDeactivation = new DeactivationReason(DeactivationReasonCode.IdleTimeout, $"Idle for {idleTimeout}");
            _pumping = true;
        }
        DisposeTimers();
        StartPump();
        return true;
    }

    public IDisposable RegisterTimer(Func<Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        var timer = new GrainTimer(this, callback, dueTime, period);
        bool closing;
        lock (_lock)
        {
            closing = _status >= Status.Deactivating || _pendingDeactivation is not null;
            if (!closing) _timers.Add(timer);
        }
        if (closing) timer.Dispose();
        else timer.Start();
        return timer;
    }

    public void RemoveTimer(GrainTimer timer)
    {
        lock (_lock) _timers.Remove(timer);
    }

    /// <summary>Applies the version-conflict rule to an exception that escaped a turn.</summary>
    public void OnTurnFailed(Exception exception)
    {
        if (exception is not InconsistentStateException { IsSourceActivation: true } conflict) return;
        conflict.IsSourceActivation = false;
        Runtime.Logger.LogInformation("Deactivating {GrainId} after a version conflict; the next call reloads its state", Id);
        RequestDeactivation(new DeactivationReason(DeactivationReasonCode.StateConflict, conflict.Message));
    }

    /// <summary>Queues work handed on by a predecessor. Only valid before this activation is published.</summary>
    private void Seed(IEnumerable<WorkItem> items)
    {
        foreach (var item in items) _queue.Enqueue(item);
        _pumping = true;
    }

    // The pump must not inherit the first caller's ExecutionContext (AsyncLocals such as HttpContext), because it
    // goes on to serve other callers' turns.
    private void StartPump() =>
        ThreadPool.UnsafeQueueUserWorkItem(static activation => _ = activation.PumpAsync(), this, preferLocal: false);

    private async Task PumpAsync()
    {
        CurrentActivation.Value = this;
        try
        {
            while (true)
            {
                WorkItem? item = null;
                DeactivationReason? deactivation = null;
                lock (_lock)
                {
                    // Shutdown lets already accepted calls finish; every other reason hands them to a fresh activation.
                    if (_pendingDeactivation is { } reason && _status == Status.Active
                        && (reason.Code != DeactivationReasonCode.ShuttingDown || _queue.Count == 0))
                    {
                        _status = Status.Deactivating;
                        deactivation = reason;
                    }
                    else if (!_queue.TryDequeue(out item))
                    {
                        _pumping = false;
                        return;
                    }
                }

                if (deactivation is { } r)
                {
                    await DeactivateAsync(r);
                    return;
                }
                if (_status == Status.Created && !await TryActivateAsync(item!)) return;

                await item!.RunAsync(this, _grain!);
                if (item.IsCall) _lastCallCompletedAt = Runtime.Time.GetUtcNow();
            }
        }
        catch (Exception ex)
        {
            Runtime.Logger.LogCritical(ex, "The turn pump of {GrainId} failed", Id);
        }
    }

    private async Task<bool> TryActivateAsync(WorkItem first)
    {
        try
        {
            var grain = Runtime.CreateGrain(Registration);
            grain.Attach(this);
            _grain = grain;
            await grain.ActivateCoreAsync(Runtime.AbortToken);
        }
        catch (Exception ex)
        {
            Runtime.Logger.LogWarning(ex, "Activation of {GrainId} failed", Id);
            // Stale state read during activation is this grain's failure; callers that pass it on keep their state.
            if (ex is InconsistentStateException conflict) conflict.IsSourceActivation = false;
            _grain = null;
            DisposeTimers();
            List<WorkItem> failed = [first];
            lock (_lock)
            {
                _status = Status.Deactivated;
                failed.AddRange(_queue);
                _queue.Clear();
                _pumping = false;
                Runtime.Remove(this);
            }
            foreach (var item in failed) item.Fail(ex);
            _deactivated.TrySetResult();
            return false;
        }

        lock (_lock)
        {
            _status = Status.Active;
            _lastCallCompletedAt = Runtime.Time.GetUtcNow();
        }
        Runtime.Logger.LogDebug("Activated {GrainId}", Id);
        return true;
    }

    private async Task DeactivateAsync(DeactivationReason reason)
    {
        DisposeTimers();
        try
        {
            await _grain!.OnDeactivateAsync(reason, Runtime.AbortToken);
        }
        catch (Exception ex)
        {
            Runtime.Logger.LogWarning(ex, "OnDeactivateAsync of {GrainId} failed", Id);
        }

        List<WorkItem> leftovers;
        Activation? successor = null;
        lock (_lock)
        {
            _status = Status.Deactivated;
            // Timer ticks belong to this instance; calls belong to the grain and move on.
            leftovers = _queue.Where(item => item.IsCall).ToList();
            _queue.Clear();
            _pumping = false;
            if (leftovers.Count > 0 && !Runtime.IsStopping)
            {
                // The successor is published with the leftovers already queued, so calls that arrive later stay behind
                // them; it starts only now, after OnDeactivateAsync, so one key never has two live activations.
                successor = new Activation(Runtime, Registration, Id);
                successor.Seed(leftovers);
                Runtime.Replace(this, successor);
            }
            else
            {
                Runtime.Remove(this);
            }
        }

        if (successor is not null)
            successor.StartPump();
        else
            foreach (var item in leftovers) item.Fail(new InvalidOperationException("The grain runtime is shutting down."));

        _deactivated.TrySetResult();
        Runtime.Logger.LogDebug("Deactivated {GrainId} ({Reason})", Id, reason.Code);
    }

    private void DisposeTimers()
    {
        GrainTimer[] timers;
        lock (_lock)
        {
            timers = [.. _timers];
            _timers.Clear();
        }
        foreach (var timer in timers) timer.Dispose();
    }
}

/// <summary>One turn: a call or a timer tick. <see cref="RunAsync"/> never throws.</summary>
internal abstract class WorkItem
{
    /// <summary>Calls keep an activation alive and move to a successor; timer ticks do neither.</summary>
    public abstract bool IsCall { get; }

    public abstract Task RunAsync(Activation activation, Grain grain);

    public abstract void Fail(Exception exception);
}

internal sealed class CallItem<T>(Func<Grain, Task<T>> invoke) : WorkItem
{
    // Callers must not continue inline on the pump, or their code would run inside this grain's turn.
    private readonly TaskCompletionSource<T> _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public Task<T> Task => _completion.Task;

    public override bool IsCall => true;

    public override async Task RunAsync(Activation activation, Grain grain)
    {
        try
        {
            _completion.TrySetResult(await invoke(grain));
        }
        catch (Exception ex)
        {
            // Before completing: the caller may be a grain that must see the conflict as not its own.
            activation.OnTurnFailed(ex);
            _completion.TrySetException(ex);
        }
    }

    public override void Fail(Exception exception) => _completion.TrySetException(exception);
}
