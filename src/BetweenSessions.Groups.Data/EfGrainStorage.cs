using System.Globalization;
using System.Linq.Expressions;
using System.Text.Json;
using BetweenSessions.Groups.Data.Entities;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.EntityFrameworkCore;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// Grain state as one JSON row per (state name, grain), with the row's Version as the ETag. Writes and clears are
/// conditional on the ETag the grain holds (none: nothing may be stored) and throw
/// <see cref="InconsistentStateException"/> otherwise. A clear keeps the row as a tombstone (Json null) so that
/// versions only grow and an ETag is never reused.
/// </summary>
internal sealed class EfGrainStorage(IDbContextFactory<GroupsDbContext> contexts, WriteQueue writes) : IGrainStorage
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        await using var db = await contexts.CreateDbContextAsync();
        var row = await db.GrainState.AsNoTracking().SingleOrDefaultAsync(Matches(stateName, grainId));
        if (row?.Json is null)
        {
            grainState.ResetToEmpty();
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
        var version = await writes.EnqueueAsync(Key(stateName, grainId), async db =>
        {
            var expected = held;
            if (expected is null)
            {
                var stored = await db.GrainState.Where(Matches(stateName, grainId))
                    .Select(g => new { g.Version, Cleared = g.Json == null }).SingleOrDefaultAsync();
                if (stored is null)
                {
                    db.GrainState.Add(new GrainStateRecord
                    {
                        StateName = stateName, GrainType = grainId.Type, GrainKey = grainId.Key, Json = json, Version = 1,
                    });
                    return 1L;
                }
                if (!stored.Cleared) throw await ConflictAsync(db, stateName, grainId, held);
                expected = stored.Version;
            }
            var next = expected.Value + 1;
            var updated = await db.GrainState.Where(Matches(stateName, grainId)).Where(g => g.Version == expected)
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
        var next = held.GetValueOrDefault() + 1;
        await writes.EnqueueAsync(Key(stateName, grainId), async db =>
        {
            var stored = db.GrainState.Where(Matches(stateName, grainId)).Where(g => g.Json != null);
            var conflict = held is null
                ? await stored.AnyAsync()
                : await stored.Where(g => g.Version == held)
                    .ExecuteUpdateAsync(set => set.SetProperty(g => g.Json, (string?)null).SetProperty(g => g.Version, next)) == 0;
            if (conflict) throw await ConflictAsync(db, stateName, grainId, held);
            return true;
        }, null, CancellationToken.None);
        grainState.ResetToEmpty();
    }

    private static (string, string, string, string) Key(string stateName, GrainId grainId) =>
        ("grain", stateName, grainId.Type, grainId.Key);

    private static Expression<Func<GrainStateRecord, bool>> Matches(string stateName, GrainId grainId)
    {
        var (type, key) = (grainId.Type, grainId.Key);
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
        var stored = await db.GrainState.Where(Matches(stateName, grainId)).Where(g => g.Json != null)
            .Select(g => (long?)g.Version).SingleOrDefaultAsync();
        return Conflicts.Stale($"State {stateName} of {grainId}", stored, held);
    }

    /// <summary>Another writer inserted the first row for this grain first: a duplicate key that is really a conflict.</summary>
    private static async Task<InconsistentStateException?> ExplainAsync(
        GroupsDbContext db, string stateName, GrainId grainId, long? held) =>
        held is null && await db.GrainState.AnyAsync(Matches(stateName, grainId))
            ? await ConflictAsync(db, stateName, grainId, held)
            : null;
}
