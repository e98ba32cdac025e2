using BetweenSessions.Groups.Contracts.Audit;
using System.Collections.Frozen;
using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Orleans.Storage;
using Microsoft.EntityFrameworkCore;
using MemberRow = BetweenSessions.Groups.Data.Entities.CircleMember;

namespace BetweenSessions.Groups.Data;

internal sealed class EfCircleStore(IDbContextFactory<GroupsDbContext> contexts, WriteQueue writes, IAccessLog accessLog) : ICircleStore
{
    public async Task<CircleSnapshot?> LoadAsync(Guid circleId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var circle = await db.Circles.AsNoTracking().Include(c => c.Members)
            .SingleOrDefaultAsync(c => c.Id == circleId, ct);
        if (circle is null) return null;
        var members = circle.Members
            .OrderBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase).ThenBy(m => m.MemberId, StringComparer.Ordinal)
            .Select(m => new Contracts.Circles.CircleMember(m.MemberId, m.DisplayName, m.Role, m.JoinedAt))
            .ToList();
        var openRound = circle.OpenRoundId is { } roundId
            ? new OpenRound(roundId, circle.OpenRoundPrompt!, circle.OpenRoundStartedAt!.Value, circle.OpenRoundStartedBy!)
            : null;
        return new CircleSnapshot(circle.Id, circle.Name, circle.InviteCode, circle.CreatedAt, circle.LastSeq, members,
            circle.Version, openRound, FacilitationColumns.Read(circle.ArchivedAt, circle.FacilitationJson));
    }

    public Task<long> CommitAsync(CircleCommit commit, CancellationToken ct = default) =>
        writes.EnqueueAsync(("circle", commit.CircleId), db => StageAsync(db, commit), async db => await ExplainAsync(db, commit), ct);

    /// <summary>
    /// The resend check inside the commit, on the writer's own connection. For the everyday single entry it is a
    /// condition of the version bump, so the entry still takes two statements: a separate lookup before each entry, on
    /// a pooled connection whose SQLite page cache every other write drops, cost 10 to 13 % of the server's CPU under
    /// load; inside the write queue as a query of its own, it cost PostgreSQL a round trip per entry in the one writer
    /// (docs/performance.md). Only when the bump changes nothing is the receipt looked up: a resend, or else a version
    /// conflict. Several entries at once (what a busy circle gathered while its previous commit was being stored) are
    /// looked up one by one first: rarer, and each lookup is a point read on the warm writer connection.
    /// </summary>
    public Task<EntryCommit> CommitEntriesAsync(CircleCommit commit, CancellationToken ct = default) =>
        writes.EnqueueAsync(("circle", commit.CircleId), async db =>
        {
            if (commit.Events is [{ ClientEventId: { } clientEventId } entry] && IsEveryday(commit))
            {
                var erased = Erasure.ErasedClientEventId(commit.CircleId, entry.MemberId, clientEventId);
                if (await TryStageEverydayAsync(db, commit, (entry.MemberId, clientEventId, erased)))
                    return new EntryCommit(commit.ExpectedVersion + 1, null);
                // The bump changed nothing: a resend, or else another stored version.
                return await EarlierAsync(db, commit) is { } resent
                    ? new EntryCommit(commit.ExpectedVersion, resent)
                    : throw await ConflictAsync(db, commit);
            }
            return await EarlierAsync(db, commit) is { } earlier
                ? new EntryCommit(commit.ExpectedVersion, earlier)
                : new EntryCommit(await StageAsync(db, commit), null);
        }, async db => await ExplainAsync(db, commit), ct);

    /// <summary>For each event of the commit, its author's earlier entry with its client id; null when none has one.</summary>
    private static async Task<IReadOnlyList<EventReceipt?>?> EarlierAsync(GroupsDbContext db, CircleCommit commit)
    {
        var statements = CircleStatements.For(db);
        var earlier = new EventReceipt?[commit.Events.Count];
        var any = false;
        for (var i = 0; i < earlier.Length; i++)
        {
            if (commit.Events[i] is not { ClientEventId: { } clientEventId } e) continue;
            earlier[i] = await statements.FindReceiptAsync(db, commit.CircleId, e.MemberId, clientEventId,
                Erasure.ErasedClientEventId(commit.CircleId, e.MemberId, clientEventId), CancellationToken.None);
            any |= earlier[i] is not null;
        }
        return any ? earlier : null;
    }

    /// <summary>
    /// What members write every day: entries that change neither membership nor the circle's settings. They take
    /// <see cref="CircleStatements"/>' two plain commands; creating, joining, leaving and anything else keep EF below.
    /// </summary>
    private static readonly FrozenSet<string> EverydayTypes = new[]
    {
        EventTypes.CheckIn, EventTypes.WinShared, EventTypes.Acknowledged, EventTypes.CommitmentMade,
        EventTypes.CommitmentJoined, EventTypes.PracticeLogged, EventTypes.BroughtToSession, EventTypes.Reflected,
        EventTypes.RoundStarted, EventTypes.RoundEnded, EventTypes.RoundAnswered, EventTypes.SupportRequested,
        EventTypes.SupportNoteAdded, EventTypes.SupportWithdrawn,
    }.ToFrozenSet();

    private static bool IsEveryday(CircleCommit commit) =>
        commit.ExpectedVersion > 0 && commit.UpsertMembers.Count == 0 && commit.RemoveMembers is not { Count: > 0 }
        && commit.Facilitation is null && commit.Access is null && commit.Events.All(e => EverydayTypes.Contains(e.Type));

    private static async Task<long> StageAsync(GroupsDbContext db, CircleCommit commit)
    {
        if (IsEveryday(commit)) return await StageEverydayAsync(db, commit);
        var version = commit.ExpectedVersion + 1;
        var round = commit.OpenRound;
        if (commit.ExpectedVersion == 0)
        {
            if (await db.Circles.AnyAsync(c => c.Id == commit.CircleId)) throw await ConflictAsync(db, commit);
            db.Circles.Add(new Circle
            {
                Id = commit.CircleId, Name = commit.Name, InviteCode = commit.InviteCode, CreatedAt = commit.CreatedAt,
                LastSeq = commit.LastSeq, Version = version,
                OpenRoundId = round?.RoundId, OpenRoundPrompt = round?.Prompt, OpenRoundStartedAt = round?.StartedAt,
                OpenRoundStartedBy = round?.StartedBy,
                ArchivedAt = commit.Facilitation?.ArchivedAt, FacilitationJson = FacilitationColumns.Json(commit.Facilitation),
            });
        }
        else
        {
            // The version check and the bump are one statement, so no other writer can slip in between.
            var updated = await db.Circles
                .Where(c => c.Id == commit.CircleId && c.Version == commit.ExpectedVersion)
                .ExecuteUpdateAsync(set =>
                {
                    set
                        .SetProperty(c => c.Version, version)
                        .SetProperty(c => c.LastSeq, commit.LastSeq)
                        .SetProperty(c => c.Name, commit.Name)
                        .SetProperty(c => c.InviteCode, commit.InviteCode)
                        // Every commit states the open round, so a commit without one closes it.
                        .SetProperty(c => c.OpenRoundId, round?.RoundId)
                        .SetProperty(c => c.OpenRoundPrompt, round?.Prompt)
                        .SetProperty(c => c.OpenRoundStartedAt, round?.StartedAt)
                        .SetProperty(c => c.OpenRoundStartedBy, round?.StartedBy);
                    // Settings only when the commit changes them: an everyday entry leaves them as they are.
                    if (commit.Facilitation is { } facilitation)
                    {
                        set.SetProperty(c => c.ArchivedAt, facilitation.ArchivedAt)
                            .SetProperty(c => c.FacilitationJson, FacilitationColumns.Json(facilitation));
                    }
                });
            if (updated == 0) throw await ConflictAsync(db, commit);
        }

        await UpsertMembersAsync(db, commit);
        if (commit.RemoveMembers is { Count: > 0 } leaving)
        {
            // Runs now, inside the batch's transaction: it commits or rolls back with the version bump above.
            await db.CircleMembers.Where(m => m.CircleId == commit.CircleId && leaving.Contains(m.MemberId)).ExecuteDeleteAsync();
        }
        db.CircleEvents.AddRange(commit.Events.Select(e => ToRecord(commit.CircleId, e)));
        foreach (var record in commit.Access ?? [])
            db.AccessLog.Add(await EfAccessLog.RowAsync(db, record, commit.Events[0].At));
        return version;
    }

    private static async Task<long> StageEverydayAsync(GroupsDbContext db, CircleCommit commit) =>
        await TryStageEverydayAsync(db, commit, unlessStored: null)
            ? commit.ExpectedVersion + 1
            : throw await ConflictAsync(db, commit);

    /// <summary>
    /// The version bump and the events' inserts, or nothing at all (false) when the bump changes no row: another
    /// stored version, or, with <paramref name="unlessStored"/>, the author's entry with that client id stored before.
    /// The check and the bump are one statement, so no other writer can slip in between.
    /// </summary>
    private static async Task<bool> TryStageEverydayAsync(
        GroupsDbContext db, CircleCommit commit, (string MemberId, string ClientEventId, string Erased)? unlessStored)
    {
        var statements = CircleStatements.For(db);
        var version = commit.ExpectedVersion + 1;
        var advanced = unlessStored is var (memberId, clientEventId, erased)
            ? await statements.AdvanceVersionUnlessStoredAsync(db, commit, version, memberId, clientEventId, erased)
            : await statements.AdvanceVersionAsync(db, commit, version);
        if (!advanced) return false;
        foreach (var e in commit.Events) await statements.InsertEventAsync(db, ToRecord(commit.CircleId, e));
        return true;
    }

    private static CircleEventRecord ToRecord(Guid circleId, CircleEvent e) => new()
    {
        CircleId = circleId, Seq = e.Seq, EventId = e.EventId, Type = e.Type, At = e.At, MemberId = e.MemberId,
        DisplayName = e.DisplayName, Visibility = e.Visibility, ClientEventId = e.ClientEventId,
        PayloadJson = e.PayloadJson, SubjectMemberId = e.SubjectMemberId,
    };

    private static async Task UpsertMembersAsync(GroupsDbContext db, CircleCommit commit)
    {
        if (commit.UpsertMembers.Count == 0) return;
        var ids = commit.UpsertMembers.Select(m => m.MemberId).ToList();
        var existing = commit.ExpectedVersion == 0
            ? new Dictionary<string, MemberRow>()
            : await db.CircleMembers.Where(m => m.CircleId == commit.CircleId && ids.Contains(m.MemberId))
                .ToDictionaryAsync(m => m.MemberId, StringComparer.Ordinal);
        foreach (var member in commit.UpsertMembers)
        {
            if (existing.TryGetValue(member.MemberId, out var row))
            {
                row.DisplayName = member.DisplayName;
                row.Role = member.Role;
            }
            else
            {
                db.CircleMembers.Add(new MemberRow
                {
                    CircleId = commit.CircleId, MemberId = member.MemberId, DisplayName = member.DisplayName,
                    Role = member.Role, JoinedAt = member.JoinedAt,
                });
            }
        }
    }

    private static async Task<InconsistentStateException> ConflictAsync(GroupsDbContext db, CircleCommit commit)
    {
        var stored = await db.Circles.Where(c => c.Id == commit.CircleId).Select(c => (long?)c.Version).SingleOrDefaultAsync();
        return Conflicts.Stale($"Circle {commit.CircleId}", stored, commit.ExpectedVersion == 0 ? null : commit.ExpectedVersion);
    }

    /// <summary>Another writer inserted the same new circle first: a duplicate key that is really a version conflict.</summary>
    private static async Task<InconsistentStateException?> ExplainAsync(GroupsDbContext db, CircleCommit commit) =>
        commit.ExpectedVersion == 0 && await db.Circles.AnyAsync(c => c.Id == commit.CircleId)
            ? await ConflictAsync(db, commit)
            : null;

    public async Task<IReadOnlyList<CircleEvent>> ReadEventsAsync(
        Guid circleId, EventViewer viewer, long afterSeq, int max, CancellationToken ct = default)
    {
        if (max <= 0) return [];
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await VisibleTo(db, circleId, viewer).Where(e => e.Seq > afterSeq).OrderBy(e => e.Seq).Take(max).ToListAsync(ct);
        return await OpenedAsync(circleId, viewer, rows.Select(ToEvent).ToList(), ct);
    }

    public async Task<IReadOnlyList<CircleEvent>> ReadLogAsync(Guid circleId, long afterSeq, int max, CancellationToken ct = default)
    {
        if (max <= 0) return [];
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.CircleEvents.Where(e => e.CircleId == circleId && e.Seq > afterSeq).OrderBy(e => e.Seq).Take(max).ToListAsync(ct);
        return rows.Select(ToEvent).ToList();
    }

    public async Task<IReadOnlyList<CircleEvent>> ReadCommitmentEventsAsync(Guid circleId, EventViewer viewer, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var types = EventTypes.Commitment.ToList();
        var rows = await VisibleTo(db, circleId, viewer).Where(e => types.Contains(e.Type)).OrderBy(e => e.Seq).ToListAsync(ct);
        return await OpenedAsync(circleId, viewer, rows.Select(ToEvent).ToList(), ct);
    }

    /// <summary>What a facilitator is about to see is in the access log before they see it.</summary>
    private async Task<IReadOnlyList<CircleEvent>> OpenedAsync(Guid circleId, EventViewer viewer, List<CircleEvent> events, CancellationToken ct)
    {
        await accessLog.RecordOpenedAsync(circleId, viewer, events, ct);
        return events;
    }

    /// <summary>
    /// Audience.CanSee in SQL. The stored membership is the authority: someone who is not (or no longer) a member sees
    /// nothing, not even what they wrote or what answers them, and only a facilitator both by the caller's account and
    /// by the database sees facilitators-only entries. A tombstone's author id names nobody, so it matches no viewer.
    /// </summary>
    private static IQueryable<CircleEventRecord> VisibleTo(GroupsDbContext db, Guid circleId, EventViewer viewer)
    {
        var viewerId = viewer.MemberId;
        var membership = db.CircleMembers.Where(m => m.CircleId == circleId && m.MemberId == viewerId);
        var events = db.CircleEvents.AsNoTracking().Where(e => e.CircleId == circleId && membership.Any());
        return viewer.Role == CircleRole.Facilitator
            ? events.Where(e => e.Visibility == Visibility.Circle || e.MemberId == viewerId || e.SubjectMemberId == viewerId
                || (e.Visibility == Visibility.Facilitators && membership.Any(m => m.Role == CircleRole.Facilitator)))
            : events.Where(e => e.Visibility == Visibility.Circle || e.MemberId == viewerId || e.SubjectMemberId == viewerId);
    }

    public async Task<IReadOnlyList<CircleEvent>> ReadAuthoredAsync(
        Guid circleId, string memberId, IReadOnlyCollection<string> types, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var wanted = types.ToList();
        var rows = await db.CircleEvents.AsNoTracking()
            .Where(e => e.CircleId == circleId && e.MemberId == memberId && wanted.Contains(e.Type))
            .OrderBy(e => e.Seq).ToListAsync(ct);
        return rows.Select(ToEvent).ToList();
    }

    public async Task<IReadOnlyList<CircleEvent>> ReadOfTypesAsync(
        Guid circleId, IReadOnlyCollection<string> types, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var wanted = types.ToList();
        var rows = await db.CircleEvents.AsNoTracking()
            .Where(e => e.CircleId == circleId && wanted.Contains(e.Type))
            .OrderBy(e => e.Seq).ToListAsync(ct);
        return rows.Select(ToEvent).ToList();
    }

    public Task<ErasureResult> EraseAuthoredAsync(Guid circleId, string memberId, CancellationToken ct = default) =>
        // Keyed like the circle's commits, so an erase never shares a batch with a write of the same circle, and
        // the tombstones and the rewritten copies commit together or not at all.
        writes.EnqueueAsync(("circle", circleId), async db =>
        {
            if (memberId == CircleEvent.RemovedAuthorId) return ErasureResult.Nothing;
            var authored = await db.CircleEvents.Where(e => e.CircleId == circleId && e.MemberId == memberId)
                .OrderBy(e => e.Seq).ToListAsync();
            var erasedRounds = Erasure.RoundsStartedIn(authored.Select(ToEvent));
            var tombstones = new List<ErasedEntry>(authored.Count);
            foreach (var row in authored)
            {
                var original = ToEvent(row);
                var tombstone = Erasure.Tombstone(original);
                row.Type = tombstone.Type;
                row.PayloadJson = tombstone.PayloadJson;
                row.MemberId = tombstone.MemberId;
                row.DisplayName = tombstone.DisplayName;
                row.SubjectMemberId = tombstone.SubjectMemberId;
                row.ClientEventId = tombstone.ClientEventId;
                tombstones.Add(new ErasedEntry(tombstone, memberId, original.SubjectMemberId));
            }

            // Copies: joins and practice logs answer the commitment's owner, so they name them as subject (and a
            // repeat finds any late one again); a round's end names the round, known from the round-started entries.
            var copying = Erasure.CopyingTypes.ToList();
            var roundsToo = erasedRounds.Count > 0;
            var candidates = await db.CircleEvents
                .Where(e => e.CircleId == circleId && e.MemberId != memberId && copying.Contains(e.Type)
                    && (e.SubjectMemberId == memberId || (roundsToo && e.Type == EventTypes.RoundEnded)))
                .OrderBy(e => e.Seq).ToListAsync();
            var rewritten = new List<CircleEvent>();
            foreach (var row in candidates)
            {
                if (Erasure.WithoutCopiedText(ToEvent(row), memberId, erasedRounds) is not { } payload) continue;
                row.PayloadJson = payload;
                rewritten.Add(ToEvent(row));
            }
            return new ErasureResult(tombstones, rewritten);
        }, null, ct);

    public async Task<CircleEvent?> FindEventAsync(Guid circleId, Guid eventId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var row = await db.CircleEvents.AsNoTracking()
            .SingleOrDefaultAsync(e => e.EventId == eventId && e.CircleId == circleId, ct);
        return row is null ? null : ToEvent(row);
    }

    internal static CircleEvent ToEvent(CircleEventRecord e) =>
        new(e.CircleId, e.Seq, e.EventId, e.Type, e.At, e.MemberId, e.DisplayName, e.Visibility, e.ClientEventId,
            e.PayloadJson, e.SubjectMemberId);

    public async Task<EventReceipt?> FindByClientEventIdAsync(
        Guid circleId, string memberId, string clientEventId, CancellationToken ct = default)
    {
        // Every entry asks this before it is written: a plain command, see CircleStatements.
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await CircleStatements.For(db).FindReceiptAsync(
            db, circleId, memberId, clientEventId, Erasure.ErasedClientEventId(circleId, memberId, clientEventId), ct);
    }
}

internal sealed class EfCircleDirectory(IDbContextFactory<GroupsDbContext> contexts) : ICircleDirectory
{
    public async Task<Guid?> FindByInviteCodeAsync(string normalizedInviteCode, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.Circles.Where(c => c.InviteCode == normalizedInviteCode).Select(c => (Guid?)c.Id)
            .SingleOrDefaultAsync(ct);
    }

    public async Task<IReadOnlyList<MyCircle>> ListForMemberAsync(string memberId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.CircleMembers.Where(m => m.MemberId == memberId)
            .Join(db.Circles, m => m.CircleId, c => c.Id, (m, c) => new MyCircle(c.Id, c.Name, m.Role, m.JoinedAt))
            .ToListAsync(ct);
        // Sorted here, not in SQL: each database collates differently, and a person's list is short.
        return rows.OrderBy(c => c.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(c => c.CircleId).ToList();
    }

    public async Task<IReadOnlyList<AuthoredEvent>> ListAuthoredAsync(string memberId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var rows = await db.CircleEvents.AsNoTracking().Where(e => e.MemberId == memberId)
            .Join(db.Circles, e => e.CircleId, c => c.Id, (e, c) => new { c.Name, Event = e })
            .ToListAsync(ct);
        return rows.OrderBy(r => r.Name, StringComparer.CurrentCultureIgnoreCase).ThenBy(r => r.Event.CircleId).ThenBy(r => r.Event.Seq)
            .Select(r => new AuthoredEvent(r.Name, EfCircleStore.ToEvent(r.Event))).ToList();
    }
}
