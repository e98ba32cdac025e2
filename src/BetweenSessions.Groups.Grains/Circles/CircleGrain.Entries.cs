using System.Collections.Concurrent;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using Orleans.Concurrency;
using System.Reflection;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Circles;

// Entries that only add to the log (check-ins, wins, answers, practice logs, reflections, things brought, round
// answers, support requests) no longer hold the circle's turn until their commit is durable. When a circle's previous
// commit was still being stored, the next entry used to wait for it and then for a write-queue batch of its own, so a
// busy circle's writers lined up one batch each, and the tail of the latency depended on how arrivals happened to
// cluster per circle (docs/performance.md, "What makes the tail"). Now a circle has at most one commit of entries in
// flight, and every entry that arrives meanwhile goes into the next one: the wait is bounded by two commits, whatever
// the layout. Each entry is still acknowledged only once its commit is durable, and pushed only then.
//
// These entry calls (and the reads, which see only the durable state) are [AlwaysInterleave] in ICircleGrain. Every
// other call changes members, the round or the settings, or calls other grains around its commit: the filter below
// runs it alone, after the entries under way are stored, and holds new entries back until it is done, so it sees
// and changes the circle exactly as it did when every call took the whole turn.
public sealed partial class CircleGrain : IIncomingGrainCallFilter
{
    private static readonly ConcurrentDictionary<MethodInfo, bool> Interleaves = new();

    // Where an entry's time goes inside its circle, beside the write queue's own figures (docs/performance.md).
    private static readonly Meter Meter = new("BetweenSessions.Groups.Grains");
    private static readonly Histogram<int> EntriesPerCommit =
        Meter.CreateHistogram<int>("bsg.circle.commit.entries", "{entry}", "Entries one circle stored in one commit.");
    private static readonly Histogram<double> EntryDuration =
        Meter.CreateHistogram<double>("bsg.circle.entry.duration", "ms", "Time from an entry joining its circle's queue until it is stored.");

    private readonly List<PendingEntry> _pending = [];
    private bool _isCommitting;
    private Task _committing = Task.CompletedTask;
    private int _interleavedRunning;
    private TaskCompletionSource? _interleavedDone;
    private Task? _exclusive;

    public async Task Invoke(IIncomingGrainCallContext context)
    {
        if (context.InterfaceMethod is { } method
            && Interleaves.GetOrAdd(method, m => m.IsDefined(typeof(AlwaysInterleaveAttribute), inherit: true)))
        {
            while (_exclusive is { } running) await running;
            _interleavedRunning++;
            try
            {
                await context.Invoke();
            }
            finally
            {
                if (--_interleavedRunning == 0) _interleavedDone?.TrySetResult();
            }
            return;
        }

        // Orleans already runs these one at a time; the loop only keeps that true should a chain ever re-enter.
        while (_exclusive is { } other) await other;
        var alone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _exclusive = alone.Task;
        try
        {
            while (_interleavedRunning > 0)
            {
                _interleavedDone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await _interleavedDone.Task;
            }
            _interleavedDone = null;
            await _committing;
            await context.Invoke();
        }
        finally
        {
            _exclusive = null;
            alone.SetResult();
        }
    }

    /// <summary>
    /// Queues one entry for the circle's next commit and completes with its receipt once that commit is durable. Its
    /// author and every check before it were made against the durable state, which no other call changes meanwhile.
    /// </summary>
    private Task<EventReceipt> AppendEntryAsync(CircleMember author, string type, Visibility visibility, string? clientEventId,
        object payload, string? subject = null)
    {
        Existing();
        // The same entry sent twice before either is stored (a phone resending over a new connection) is one entry.
        if (clientEventId is not null
            && _pending.Find(p => p.ClientEventId == clientEventId && p.Author.MemberId == author.MemberId) is { } twin)
        {
            return twin.Receipt.Task;
        }
        var entry = new PendingEntry(author, type, visibility, clientEventId, EventPayload.Serialize(payload),
            subject == author.MemberId ? null : subject, clock.GetUtcNow());
        _pending.Add(entry);
        if (!_isCommitting)
        {
            _isCommitting = true;
            _committing = CommitPendingAsync();
        }
        return entry.Receipt.Task;
    }

    /// <summary>Stores what is pending in one commit, then what arrived meanwhile, until nothing waits.</summary>
    private async Task CommitPendingAsync()
    {
        try
        {
            while (_pending.Count > 0)
            {
                List<PendingEntry> batch = [.. _pending];
                _pending.Clear();
                try
                {
                    var resent = await CommitAsync(batch);
                    // Nothing was written when some were resends: those have their receipts, the rest go again first.
                    _pending.InsertRange(0, resent);
                }
                catch (Exception e)
                {
                    // Nothing of this commit is stored (or, if it was after all, the next commit's version check finds
                    // out and the activation reloads): each entry's sender hears the error and may resend it.
                    foreach (var entry in batch) entry.Receipt.TrySetException(e);
                }
            }
        }
        finally
        {
            _isCommitting = false;
        }
    }

    /// <returns>The entries still to store: none once the commit is durable; when some were stored before, the others.</returns>
    private async Task<List<PendingEntry>> CommitAsync(List<PendingEntry> batch)
    {
        var circle = Existing();
        var events = batch.Select((p, i) => new CircleEvent(CircleId, circle.LastSeq + 1 + i, Guid.NewGuid(), p.Type, p.At,
            p.Author.MemberId, p.Author.DisplayName, p.Visibility, p.ClientEventId, p.PayloadJson, p.Subject)).ToList();
        var commit = new CircleCommit(CircleId, circle.Version, circle.Name, circle.InviteCode, circle.CreatedAt,
            circle.LastSeq + events.Count, [], events, circle.OpenRound);
        var stored = await store.CommitEntriesAsync(commit);
        if (stored.Earlier is { } earlier)
        {
            List<PendingEntry> again = [];
            for (var i = 0; i < batch.Count; i++)
            {
                if (earlier[i] is { } receipt) batch[i].Receipt.TrySetResult(receipt);
                else again.Add(batch[i]);
            }
            return again;
        }

        _circle = circle with { LastSeq = commit.LastSeq, Version = stored.Version };
        EntriesPerCommit.Record(batch.Count);
        for (var i = 0; i < batch.Count; i++)
        {
            var circleEvent = events[i];
            if (EntryDuration.Enabled) EntryDuration.Record(Stopwatch.GetElapsedTime(batch[i].Queued).TotalMilliseconds);
            _observers.Notify(o => o.OnCircleEvent(circleEvent));
            batch[i].Receipt.TrySetResult(new EventReceipt(circleEvent.EventId, circleEvent.Seq));
        }
        return [];
    }

    private sealed record PendingEntry(
        CircleMember Author, string Type, Visibility Visibility, string? ClientEventId, string PayloadJson, string? Subject,
        DateTimeOffset At)
    {
        public TaskCompletionSource<EventReceipt> Receipt { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public long Queued { get; } = Stopwatch.GetTimestamp();
    }
}
