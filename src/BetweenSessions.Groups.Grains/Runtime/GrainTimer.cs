using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>
/// A grain timer. The underlying timer only queues a tick; the callback runs as a turn. It is re-armed after the tick's
/// turn, so a slow callback delays the next tick instead of queueing a backlog.
/// </summary>
internal sealed class GrainTimer : IDisposable
{
    private readonly Activation _activation;
    private readonly Func<Task> _callback;
    private readonly TimeSpan _dueTime;
    private readonly TimeSpan _period;
    private readonly ITimer _timer;
    private volatile bool _disposed;

    public GrainTimer(Activation activation, Func<Task> callback, TimeSpan dueTime, TimeSpan period)
    {
        ArgumentNullException.ThrowIfNull(callback);
        if (dueTime < TimeSpan.Zero && dueTime != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(dueTime));
        if (period <= TimeSpan.Zero && period != Timeout.InfiniteTimeSpan)
            throw new ArgumentOutOfRangeException(nameof(period), "Use Timeout.InfiniteTimeSpan for a one-shot timer.");
        _activation = activation;
        _callback = callback;
        _dueTime = dueTime;
        _period = period;
        _timer = activation.Runtime.Time.CreateTimer(static s => ((GrainTimer)s!).OnTick(), this,
            Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void Start() => Arm(_dueTime);

    public void Dispose()
    {
        if (_disposed) return;
        _disposed = true;
        _timer.Dispose();
        _activation.RemoveTimer(this);
    }

    private void Arm(TimeSpan dueTime)
    {
        if (_disposed || dueTime == Timeout.InfiniteTimeSpan) return;
        try
        {
            _timer.Change(dueTime, Timeout.InfiniteTimeSpan);
        }
        catch (ObjectDisposedException)
        {
            // Disposed concurrently; nothing left to arm.
        }
    }

    // A deactivated activation refuses the tick, which is what stops a timer from reviving a grain.
    private void OnTick()
    {
        if (!_disposed) _activation.TryEnqueue(new Tick(this));
    }

    private sealed class Tick(GrainTimer timer) : WorkItem
    {
        public override bool IsCall => false;

        public override async Task RunAsync(Activation activation, Grain grain)
        {
            if (timer._disposed) return;
            try
            {
                await timer._callback();
            }
            catch (Exception ex)
            {
                activation.Runtime.Logger.LogWarning(ex, "A timer callback of {GrainId} failed", activation.Id);
                activation.OnTurnFailed(ex);
            }
            timer.Arm(timer._period);
        }

        public override void Fail(Exception exception)
        {
        }
    }
}
