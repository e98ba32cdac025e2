using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Orleans;
using Orleans.Runtime;
using Orleans.Storage;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// Orleans grain state as one JSON row per (state name, grain type, grain key) in GrainState, with the row's Version as
/// the ETag. Writes and clears are conditional on the ETag the grain holds (none: nothing may be stored) and throw
/// <see cref="InconsistentStateException"/> otherwise, which makes Orleans deactivate the stale activation. A clear
/// keeps the row as a tombstone (Json null) so that versions only grow and an ETag is never issued twice. Writes go
/// through the <see cref="WriteQueue"/>, the one writer SQLite needs.
/// </summary>
public sealed class OrleansGrainStorage : IGrainStorage
{
    /// <summary>The storage provider name the grains' [PersistentState] attributes use.</summary>
    public const string ProviderName = "groups";

    // The home-made runtime's options: rows it wrote read back unchanged.
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IDbContextFactory<GroupsDbContext> _contexts;
    private readonly WriteQueue _writes;

    internal OrleansGrainStorage(IDbContextFactory<GroupsDbContext> contexts, WriteQueue writes)
    {
        _contexts = contexts;
        _writes = writes;
    }

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var db = await _contexts.CreateDbContextAsync();
        var row = await db.GrainState.AsNoTracking().SingleOrDefaultAsync(Matches(stateName, grainId));
        if (row?.Json is null)
        {
            // A tombstone is no state, but its version is what the next write must name.
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = row is null ? null : ETag(row.Version);
            grainState.RecordExists = false;
            return;
        }
        grainState.State = JsonSerializer.Deserialize<T>(row.Json, Json)!;
        grainState.ETag = ETag(row.Version);
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var json = JsonSerializer.Serialize(grainState.State, Json);
        var held = Parse(grainState.ETag, stateName, grainId);
        var (type, key) = Columns(grainId);
        var version = await _writes.EnqueueAsync(Key(stateName, grainId), async db =>
        {
            if (held is null)
            {
                var stored = await db.GrainState.Where(Matches(stateName, grainId)).Select(g => (long?)g.Version).SingleOrDefaultAsync();
                if (stored is not null) throw await ConflictAsync(db, stateName, grainId, held);
                db.GrainState.Add(new GrainStateRecord { StateName = stateName, GrainType = type, GrainKey = key, Json = json, Version = 1 });
                return 1L;
            }
            var next = held.Value + 1;
            var updated = await db.GrainState.Where(Matches(stateName, grainId)).Where(g => g.Version == held)
                .ExecuteUpdateAsync(set => set.SetProperty(g => g.Json, json).SetProperty(g => g.Version, next));
            if (updated == 0) throw await ConflictAsync(db, stateName, grainId, held);
            return next;
        }, async db => await ExplainAsync(db, stateName, grainId, held), CancellationToken.None);
        grainState.ETag = ETag(version);
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var held = Parse(grainState.ETag, stateName, grainId);
        var version = await _writes.EnqueueAsync(Key(stateName, grainId), async db =>
        {
            if (held is null)
            {
                // Nothing held, nothing stored: there is nothing to clear and no version to move on.
                if (await db.GrainState.AnyAsync(Matches(stateName, grainId))) throw await ConflictAsync(db, stateName, grainId, held);
                return (long?)null;
            }
            var next = held.Value + 1;
            var updated = await db.GrainState.Where(Matches(stateName, grainId)).Where(g => g.Version == held)
                .ExecuteUpdateAsync(set => set.SetProperty(g => g.Json, (string?)null).SetProperty(g => g.Version, next));
            if (updated == 0) throw await ConflictAsync(db, stateName, grainId, held);
            return next;
        }, null, CancellationToken.None);
        grainState.State = Activator.CreateInstance<T>();
        grainState.ETag = version is null ? null : ETag(version.Value);
        grainState.RecordExists = false;
    }

    private static (string Type, string Key) Columns(GrainId grainId) => (grainId.Type.ToString()!, grainId.Key.ToString()!);

    private static (string, string, string, string) Key(string stateName, GrainId grainId)
    {
        var (type, key) = Columns(grainId);
        return ("grain", stateName, type, key);
    }

    private static Expression<Func<GrainStateRecord, bool>> Matches(string stateName, GrainId grainId)
    {
        var (type, key) = Columns(grainId);
        return g => g.StateName == stateName && g.GrainType == type && g.GrainKey == key;
    }

    private static string ETag(long version) => version.ToString(CultureInfo.InvariantCulture);

    private static long? Parse(string? etag, string stateName, GrainId grainId) =>
        etag is null ? null
        : long.TryParse(etag, NumberStyles.None, CultureInfo.InvariantCulture, out var version) ? version
        : throw new InconsistentStateException($"State {stateName} of {grainId} has an ETag this storage never issued.", null, etag);

    private static async Task<InconsistentStateException> ConflictAsync(
        GroupsDbContext db, string stateName, GrainId grainId, long? held)
    {
        var stored = await db.GrainState.Where(Matches(stateName, grainId)).Select(g => (long?)g.Version).SingleOrDefaultAsync();
        return new InconsistentStateException(
            $"State {stateName} of {grainId} was changed by someone else: stored version {stored?.ToString() ?? "none"}, "
            + $"expected {held?.ToString() ?? "none"}.",
            stored is null ? null : ETag(stored.Value), held is null ? null : ETag(held.Value));
    }

    /// <summary>Another writer inserted the first row for this grain first: a duplicate key that is really a conflict.</summary>
    private static async Task<InconsistentStateException?> ExplainAsync(
        GroupsDbContext db, string stateName, GrainId grainId, long? held) =>
        held is null && await db.GrainState.AnyAsync(Matches(stateName, grainId))
            ? await ConflictAsync(db, stateName, grainId, held)
            : null;
}
