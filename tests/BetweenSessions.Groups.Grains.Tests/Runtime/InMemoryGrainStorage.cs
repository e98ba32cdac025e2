using System.Collections.Concurrent;
using System.Text.Json;
using Orleans.Storage;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

/// <summary>
/// Orleans grain storage in memory, owned by a test so that it outlives a silo (a "restart" starts a second silo over
/// it). State is kept as JSON, as the database keeps it, so an activation never shares objects with what is stored:
/// whatever an activation changes without a successful write is not in storage.
/// </summary>
public sealed class InMemoryGrainStorage : IGrainStorage
{
    private readonly ConcurrentDictionary<(string State, GrainId Grain), (string Json, string ETag)> _rows = new();

    public int Count => _rows.Count;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (_rows.TryGetValue((stateName, grainId), out var row))
        {
            grainState.State = JsonSerializer.Deserialize<T>(row.Json)!;
            grainState.ETag = row.ETag;
            grainState.RecordExists = true;
        }
        else
        {
            grainState.State = Activator.CreateInstance<T>();
            grainState.ETag = null;
            grainState.RecordExists = false;
        }
        return Task.CompletedTask;
    }

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        var json = JsonSerializer.Serialize(grainState.State);
        var etag = Guid.NewGuid().ToString("N");
        lock (_rows)
        {
            var stored = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
                throw new InconsistentStateException($"Stale write of {stateName} for {grainId}.", stored, grainState.ETag);
            _rows[key] = (json, etag);
        }
        grainState.ETag = etag;
        grainState.RecordExists = true;
        return Task.CompletedTask;
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var key = (stateName, grainId);
        lock (_rows)
        {
            var stored = _rows.TryGetValue(key, out var row) ? row.ETag : null;
            if (stored != grainState.ETag)
                throw new InconsistentStateException($"Stale clear of {stateName} for {grainId}.", stored, grainState.ETag);
            _rows.TryRemove(key, out _);
        }
        grainState.ETag = null;
        grainState.RecordExists = false;
        grainState.State = Activator.CreateInstance<T>();
        return Task.CompletedTask;
    }
}
