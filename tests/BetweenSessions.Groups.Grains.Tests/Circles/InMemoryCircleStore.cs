using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>
/// The circle store's contract in memory, for testing the grain's rules alone. The EF store is tested against
/// real SQLite and PostgreSQL in the data tests.
/// </summary>
internal sealed class InMemoryCircleStore : ICircleStore, ICircleDirectory
{
    private readonly object _gate = new();
    private readonly Dictionary<Guid, CircleSnapshot> _circles = new();
    private readonly List<CircleEvent> _events = [];

    private readonly Dictionary<Guid, int> _loads = new();

    public int Commits { get; private set; }

    /// <summary>How often a circle was loaded: once per activation of its grain.</summary>
    public int Loads(Guid circleId)
    {
        lock (_gate) return _loads.GetValueOrDefault(circleId);
    }

    public IReadOnlyList<CircleEvent> Events(Guid circleId)
    {
        lock (_gate) return _events.Where(e => e.CircleId == circleId).OrderBy(e => e.Seq).ToList();
    }

    public Task<CircleSnapshot?> LoadAsync(Guid circleId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            _loads[circleId] = _loads.GetValueOrDefault(circleId) + 1;
            return Task.FromResult(_circles.GetValueOrDefault(circleId));
        }
    }

    private TaskCompletionSource? _held;
    private readonly List<TaskCompletionSource> _waiting = [];
    private int _heldNow;
    private Exception? _failNext;
    private readonly List<int> _committedSizes = [];

    /// <summary>How many events each commit stored, in order.</summary>
    public IReadOnlyList<int> CommittedSizes
    {
        get { lock (_gate) return _committedSizes.ToList(); }
    }

    /// <summary>
    /// Commits wait from now on, as on a slow disk, until the returned action releases them: to see what the grain does
    /// with a commit in flight.
    /// </summary>
    public Action HoldCommits()
    {
        var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_gate) _held = held;
        return () =>
        {
            lock (_gate) _held = null;
            held.TrySetResult();
        };
    }

    /// <summary>
    /// Completes once a commit waits on <see cref="HoldCommits"/>, at once if one already does: on a busy machine the
    /// commit can reach the hold before the test asks, and a waiter added after it would wait for ever.
    /// </summary>
    public Task CommitWaiting()
    {
        lock (_gate)
        {
            if (_heldNow > 0) return Task.CompletedTask;
            var waiting = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiting.Add(waiting);
            return waiting.Task;
        }
    }

    /// <summary>The next commit fails with <paramref name="error"/> and stores nothing.</summary>
    public void FailNextCommit(Exception error)
    {
        lock (_gate) _failNext = error;
    }

    public async Task<long> CommitAsync(CircleCommit commit, CancellationToken ct = default)
    {
        Task? held;
        lock (_gate)
        {
            held = _held?.Task;
            if (held is not null)
            {
                _heldNow++;
                foreach (var waiting in _waiting) waiting.TrySetResult();
                _waiting.Clear();
            }
        }
        if (held is not null) await held;
        lock (_gate)
        {
            if (held is not null) _heldNow--;
            if (_failNext is { } error)
            {
                _failNext = null;
                throw error;
            }
            var stored = _circles.GetValueOrDefault(commit.CircleId);
            if ((stored?.Version ?? 0) != commit.ExpectedVersion)
                throw new InconsistentStateException("Stale circle version.", stored?.Version.ToString(), commit.ExpectedVersion.ToString());
            var members = (stored?.Members ?? [])
                .Where(m => commit.UpsertMembers.All(u => u.MemberId != m.MemberId))
                .Where(m => commit.RemoveMembers?.Contains(m.MemberId) != true)
                .Concat(commit.UpsertMembers).ToList();
            var version = commit.ExpectedVersion + 1;
            _circles[commit.CircleId] = new CircleSnapshot(commit.CircleId, commit.Name, commit.InviteCode, commit.CreatedAt,
                commit.LastSeq, members, version, commit.OpenRound, commit.Facilitation ?? stored?.Facilitation);
            _events.AddRange(commit.Events);
            _committedSizes.Add(commit.Events.Count);
            Commits++;
            return version;
        }
    }

    public Task<IReadOnlyList<CircleEvent>> ReadEventsAsync(Guid circleId, EventViewer viewer, long afterSeq, int max, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<CircleEvent> page = _events
                .Where(e => e.CircleId == circleId && e.Seq > afterSeq && e.IsVisibleTo(viewer.MemberId, viewer.Role))
                .OrderBy(e => e.Seq).Take(max).ToList();
            return Task.FromResult(page);
        }
    }

    public Task<IReadOnlyList<CircleEvent>> ReadLogAsync(Guid circleId, long afterSeq, int max, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<CircleEvent> page = _events.Where(e => e.CircleId == circleId && e.Seq > afterSeq).OrderBy(e => e.Seq).Take(max).ToList();
            return Task.FromResult(page);
        }
    }

    public Task<CircleEvent?> FindEventAsync(Guid circleId, Guid eventId, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_events.FirstOrDefault(e => e.CircleId == circleId && e.EventId == eventId));
    }

    public async Task<EntryCommit> CommitEntriesAsync(CircleCommit commit, CancellationToken ct = default)
    {
        var earlier = new List<EventReceipt?>();
        foreach (var e in commit.Events)
            earlier.Add(e.ClientEventId is { } id ? await FindByClientEventIdAsync(commit.CircleId, e.MemberId, id, ct) : null);
        return earlier.Any(r => r is not null)
            ? new EntryCommit(commit.ExpectedVersion, earlier)
            : new EntryCommit(await CommitAsync(commit, ct), null);
    }

    public Task<EventReceipt?> FindByClientEventIdAsync(Guid circleId, string memberId, string clientEventId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var erased = Erasure.ErasedClientEventId(circleId, memberId, clientEventId);
            var e = _events.FirstOrDefault(e => e.CircleId == circleId
                && ((e.MemberId == memberId && e.ClientEventId == clientEventId) || (e.MemberId == CircleEvent.RemovedAuthorId && e.ClientEventId == erased)));
            return Task.FromResult(e is null ? null : new EventReceipt(e.EventId, e.Seq));
        }
    }

    public Task<IReadOnlyList<CircleEvent>> ReadCommitmentEventsAsync(Guid circleId, EventViewer viewer, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var member = _circles.GetValueOrDefault(circleId)?.Members.FirstOrDefault(m => m.MemberId == viewer.MemberId);
            IReadOnlyList<CircleEvent> events = member is null
                ? []
                : _events.Where(e => e.CircleId == circleId && EventTypes.Commitment.Contains(e.Type) && e.IsVisibleTo(member.MemberId, member.Role))
                    .OrderBy(e => e.Seq).ToList();
            return Task.FromResult(events);
        }
    }

    public Task<IReadOnlyList<CircleEvent>> ReadAuthoredAsync(Guid circleId, string memberId, IReadOnlyCollection<string> types, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<CircleEvent> events = _events.Where(e => e.CircleId == circleId && e.MemberId == memberId && types.Contains(e.Type))
                .OrderBy(e => e.Seq).ToList();
            return Task.FromResult(events);
        }
    }

    public Task<IReadOnlyList<CircleEvent>> ReadOfTypesAsync(Guid circleId, IReadOnlyCollection<string> types, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<CircleEvent> events = _events.Where(e => e.CircleId == circleId && types.Contains(e.Type)).OrderBy(e => e.Seq).ToList();
            return Task.FromResult(events);
        }
    }

    public Task<ErasureResult> EraseAuthoredAsync(Guid circleId, string memberId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            var erasedRounds = Erasure.RoundsStartedIn(_events.Where(e => e.CircleId == circleId && e.MemberId == memberId));
            List<ErasedEntry> tombstones = [];
            List<CircleEvent> rewritten = [];
            for (var i = 0; i < _events.Count; i++)
            {
                var e = _events[i];
                if (e.CircleId != circleId) continue;
                if (e.MemberId == memberId)
                {
                    _events[i] = Erasure.Tombstone(e);
                    tombstones.Add(new ErasedEntry(_events[i], memberId, e.SubjectMemberId));
                }
                else if (Erasure.WithoutCopiedText(e, memberId, erasedRounds) is { } payload)
                {
                    _events[i] = e with { PayloadJson = payload };
                    rewritten.Add(_events[i]);
                }
            }
            return Task.FromResult(new ErasureResult(tombstones.OrderBy(t => t.Tombstone.Seq).ToList(), rewritten.OrderBy(e => e.Seq).ToList()));
        }
    }

    public Task<IReadOnlyList<AuthoredEvent>> ListAuthoredAsync(string memberId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<AuthoredEvent> mine = _events.Where(e => e.MemberId == memberId)
                .OrderBy(e => e.CircleId).ThenBy(e => e.Seq)
                .Select(e => new AuthoredEvent(_circles[e.CircleId].Name, e)).ToList();
            return Task.FromResult(mine);
        }
    }

    public Task<Guid?> FindByInviteCodeAsync(string normalizedInviteCode, CancellationToken ct = default)
    {
        lock (_gate) return Task.FromResult(_circles.Values.FirstOrDefault(c => c.InviteCode == normalizedInviteCode)?.CircleId);
    }

    public Task<IReadOnlyList<MyCircle>> ListForMemberAsync(string memberId, CancellationToken ct = default)
    {
        lock (_gate)
        {
            IReadOnlyList<MyCircle> mine = _circles.Values
                .SelectMany(c => c.Members.Where(m => m.MemberId == memberId).Select(m => new MyCircle(c.CircleId, c.Name, m.Role, m.JoinedAt)))
                .OrderBy(c => c.Name).ToList();
            return Task.FromResult(mine);
        }
    }
}
