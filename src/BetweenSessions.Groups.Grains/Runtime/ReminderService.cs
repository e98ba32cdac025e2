using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>
/// Fires durable reminders on this host. A loop reads what is due from the <see cref="IReminderTable"/> at start,
/// whenever a grain of this host changes a reminder, when the earliest known tick falls due, and at least every
/// <see cref="GrainRuntimeOptions.ReminderRefresh"/> (to see other hosts' changes). Each due tick is first recorded as
/// fired in the table, conditional on the reminder's ETag, and only then delivered: a host that loses that race, or
/// that restarts afterwards, cannot fire the same tick again. So a tick is delivered at most once; if the host dies
/// between recording and delivering, that tick is lost, which is the right side to err on for anything sent to people.
/// </summary>
internal sealed class ReminderService(GrainRuntime runtime, IReminderTable table, TimeSpan refresh, ILogger logger)
{
    private const int BatchSize = 128;

    private readonly Lock _lock = new();
    private readonly HashSet<Task> _deliveries = [];
    private readonly HashSet<Task> _passes = [];
    private TaskCompletionSource _wake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private CancellationTokenSource? _stop;
    private Task? _loop;

    public IReminderTable Table => table;

    public void Start()
    {
        _stop = new CancellationTokenSource();
        using (ExecutionContext.SuppressFlow()) _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    /// <summary>Stops looking for ticks and waits for deliveries already started.</summary>
    public async Task StopAsync()
    {
        if (_stop is null) return;
        await _stop.CancelAsync();
        await _loop!;
        Task[] running;
        lock (_lock) running = [.. _deliveries];
        await Task.WhenAll(running);
    }

    /// <summary>
    /// Every pass that has started (the loop's, woken by a moved clock, included) and every delivery they started,
    /// once finished. A pass counts from before its first read, so a tick it claimed cannot fall between the two.
    /// </summary>
    internal async Task DeliveriesInFlight()
    {
        Task[] passes;
        lock (_lock) passes = [.. _passes];
        await Task.WhenAll(passes);
        Task[] running;
        lock (_lock) running = [.. _deliveries];
        await Task.WhenAll(running);
    }

    /// <summary>Asks the loop to read the table again now (a reminder of this host changed).</summary>
    public void Wake()
    {
        TaskCompletionSource wake;
        lock (_lock) wake = _wake;
        wake.TrySetResult();
    }

    /// <summary>One pass: claims and delivers every tick due now. Returns the deliveries started.</summary>
    internal async Task<Task> FireDueAsync()
    {
        var pass = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock) _passes.Add(pass.Task);
        try
        {
            return await ClaimDueAsync();
        }
        finally
        {
            lock (_lock) _passes.Remove(pass.Task);
            pass.SetResult();
        }
    }

    private async Task<Task> ClaimDueAsync()
    {
        var now = runtime.Time.GetUtcNow();
        List<Task> started = [];
        while (true)
        {
            var due = await table.ReadDueAsync(now, BatchSize);
            foreach (var entry in due)
            {
                if (!await table.TryAdvanceAsync(entry, entry.NextAfter(now))) continue;
                started.Add(Track(DeliverAsync(entry)));
            }
            if (due.Count < BatchSize) return Task.WhenAll(started);
        }
    }

    private async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            TaskCompletionSource wake;
            lock (_lock) wake = _wake = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var delay = refresh;
            try
            {
                await FireDueAsync();
                if (await table.NextDueAsync() is { } next)
                {
                    var untilNext = next - runtime.Time.GetUtcNow();
                    if (untilNext < delay) delay = untilNext < TimeSpan.Zero ? TimeSpan.Zero : untilNext;
                }
            }
            catch (Exception ex) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning(ex, "Reading or claiming due reminders failed; trying again shortly");
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            try
            {
                await Task.WhenAny(Task.Delay(delay, runtime.Time, wait.Token), wake.Task).WaitAsync(ct);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            finally
            {
                await wait.CancelAsync();
            }
        }
    }

    private async Task DeliverAsync(ReminderEntry entry)
    {
        await Task.Yield();
        try
        {
            await runtime.DeliverReminderAsync(entry.GrainId, entry.ReminderName,
                new TickStatus(entry.FirstTickTime, entry.Period, entry.NextDue));
        }
        catch (Exception ex)
        {
            // Names and types only: a reminder's grain key may be a person's id, but nothing they wrote.
            logger.LogWarning(ex, "Reminder {Reminder} of {GrainType} failed", entry.ReminderName, entry.GrainId.Type);
        }
    }

    private Task Track(Task delivery)
    {
        lock (_lock) _deliveries.Add(delivery);
        delivery.ContinueWith(t =>
        {
            lock (_lock) _deliveries.Remove(t);
        }, TaskScheduler.Default);
        return delivery;
    }
}
