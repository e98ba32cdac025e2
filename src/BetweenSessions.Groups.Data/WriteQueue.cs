using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Orleans.Storage;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// The one writer. SQLite allows a single writer at a time, so instead of letting callers race for the file lock
/// every store write comes here: one loop takes all the writes waiting, applies them in one transaction and only then
/// completes each caller's task. On PostgreSQL and SQL Server it is used as well: one commit per batch is cheaper
/// than one per write. Started when first resolved; disposing it (with the service provider) drains what is queued.
/// </summary>
internal sealed class WriteQueue : IAsyncDisposable, IDisposable
{
    private const int MaxBatch = 256;

    // What limits durable throughput shows here first (docs/performance.md): how many writes share a transaction, how
    // long a write waits for its batch, and how long a batch takes to commit.
    private static readonly Meter Meter = new("BetweenSessions.Groups.Data");
    private static readonly Histogram<int> BatchSize =
        Meter.CreateHistogram<int>("bsg.write_queue.batch.size", "{write}", "Writes committed in one transaction.");
    private static readonly Histogram<double> BatchDuration =
        Meter.CreateHistogram<double>("bsg.write_queue.batch.duration", "ms", "Time to stage and commit one batch.");
    private static readonly Histogram<double> QueueWait =
        Meter.CreateHistogram<double>("bsg.write_queue.wait", "ms", "Time a write waited in the queue before its batch began.");

    private readonly IDbContextFactory<GroupsDbContext> _contexts;
    private readonly ILogger<WriteQueue> _logger;
    private readonly Channel<QueuedWrite> _pending =
        Channel.CreateUnbounded<QueuedWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _loop;

    public WriteQueue(IDbContextFactory<GroupsDbContext> contexts, ILogger<WriteQueue> logger)
    {
        _contexts = contexts;
        _logger = logger;
        // The loop outlives whichever request first resolved it; it must not carry that request's trace or scopes.
        using (ExecutionContext.SuppressFlow()) _loop = Task.Run(RunAsync);
    }

    /// <summary>
    /// Queues a write and completes once it is committed. <paramref name="stage"/> runs inside the batch's transaction:
    /// it checks its precondition first and throws <see cref="InconsistentStateException"/> before staging anything,
    /// which fails this write alone. <paramref name="explainFailure"/> runs after a write failed on its own, to turn a
    /// lost insert race (a duplicate key) into the conflict it is. Writes with equal keys never share a batch, so each
    /// stage sees the effect of the previous write to its key. A caller that cancels gets its task cancelled at once;
    /// a write not yet picked up is then dropped, one already in a transaction may still commit.
    /// </summary>
    public Task<T> EnqueueAsync<T>(
        object key,
        Func<GroupsDbContext, Task<T>> stage,
        Func<GroupsDbContext, Task<Exception?>>? explainFailure,
        CancellationToken ct)
    {
        if (ct.IsCancellationRequested) return Task.FromCanceled<T>(ct);
        var write = new QueuedWrite<T>(key, stage, explainFailure, ct);
        if (!_pending.Writer.TryWrite(write)) write.Fail(new ObjectDisposedException(nameof(WriteQueue)));
        return write.Task;
    }

    private async Task RunAsync()
    {
        List<QueuedWrite> deferred = [];
        while (deferred.Count > 0 || await _pending.Reader.WaitToReadAsync())
        {
            List<QueuedWrite> batch = [];
            List<QueuedWrite> next = [];
            HashSet<object> keys = [];
            foreach (var write in deferred) Take(write);
            while (batch.Count + next.Count < MaxBatch && _pending.Reader.TryRead(out var write)) Take(write);
            deferred = next;
            if (batch.Count > 0) await WriteAsync(batch);

            void Take(QueuedWrite write)
            {
                if (write.IsAbandoned) return;
                if (keys.Add(write.Key)) batch.Add(write);
                else next.Add(write);
            }
        }
    }

    private async Task WriteAsync(List<QueuedWrite> batch)
    {
        var started = Stopwatch.GetTimestamp();
        if (QueueWait.Enabled)
            foreach (var write in batch) QueueWait.Record(Stopwatch.GetElapsedTime(write.EnqueuedAt, started).TotalMilliseconds);
        BatchSize.Record(batch.Count);
        try
        {
            await CommitAsync(batch);
            BatchDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            foreach (var write in batch) write.Publish();
        }
        catch (Exception e) when (batch.Count > 1)
        {
            // Nothing tells which write broke the batch (a unique key, a value too long...): redo them one per
            // transaction so that one bad write fails alone.
            _logger.LogWarning("A batch of {Count} writes failed ({Error}); retrying them one at a time.",
                batch.Count, e.GetBaseException().Message);
            foreach (var write in batch)
            {
                try
                {
                    await CommitAsync([write]);
                    write.Publish();
                }
                catch (Exception single)
                {
                    await FailAsync(write, single);
                }
            }
        }
        catch (Exception e)
        {
            await FailAsync(batch[0], e);
        }
    }

    private async Task CommitAsync(IReadOnlyList<QueuedWrite> writes)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        await using var transaction = await db.Database.BeginTransactionAsync();
        foreach (var write in writes)
            if (!write.IsAbandoned) await write.StageAsync(db);
        await db.SaveChangesAsync();
        await transaction.CommitAsync();
    }

    private async Task FailAsync(QueuedWrite write, Exception error)
    {
        try
        {
            await using var db = await _contexts.CreateDbContextAsync();
            error = await write.ExplainAsync(db) ?? error;
        }
        catch (Exception e)
        {
            _logger.LogDebug(e, "Could not explain a failed write.");
        }
        write.Fail(error);
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        await _loop;
    }

    public void Dispose()
    {
        _pending.Writer.TryComplete();
        _loop.GetAwaiter().GetResult();
    }

    private abstract class QueuedWrite(object key)
    {
        public object Key { get; } = key;
        public long EnqueuedAt { get; } = Stopwatch.GetTimestamp();
        public abstract bool IsAbandoned { get; }
        public abstract Task StageAsync(GroupsDbContext db);
        public abstract Task<Exception?> ExplainAsync(GroupsDbContext db);
        public abstract void Publish();
        public abstract void Fail(Exception error);
    }

    private sealed class QueuedWrite<T> : QueuedWrite
    {
        private readonly TaskCompletionSource<T> _done = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Func<GroupsDbContext, Task<T>> _stage;
        private readonly Func<GroupsDbContext, Task<Exception?>>? _explain;
        private readonly CancellationTokenRegistration _cancellation;
        private T? _result;
        private Exception? _conflict;

        public QueuedWrite(
            object key, Func<GroupsDbContext, Task<T>> stage,
            Func<GroupsDbContext, Task<Exception?>>? explain, CancellationToken ct) : base(key)
        {
            _stage = stage;
            _explain = explain;
            _cancellation = ct.Register(() => _done.TrySetCanceled(ct));
        }

        public Task<T> Task => _done.Task;

        public override bool IsAbandoned => _done.Task.IsCompleted;

        public override async Task StageAsync(GroupsDbContext db)
        {
            _conflict = null;
            try
            {
                _result = await _stage(db);
            }
            catch (Exception conflict) when (Conflicts.IsConflict(conflict))
            {
                _conflict = conflict;
            }
        }

        public override Task<Exception?> ExplainAsync(GroupsDbContext db) =>
            _explain?.Invoke(db) ?? System.Threading.Tasks.Task.FromResult<Exception?>(null);

        public override void Publish()
        {
            _cancellation.Dispose();
            if (_conflict is not null) _done.TrySetException(_conflict);
            else _done.TrySetResult(_result!);
        }

        public override void Fail(Exception error)
        {
            _cancellation.Dispose();
            _done.TrySetException(error);
        }
    }
}
