using System.Globalization;
using System.Text.Json;

namespace BetweenSessions.Groups.Grains.Runtime;

public interface IGrainState<T>
{
    T State { get; set; }

    /// <summary>Version token of the stored copy this state was read from or last written as; null if none.</summary>
    string? ETag { get; set; }

    bool RecordExists { get; set; }
}

public class GrainState<T> : IGrainState<T>
{
    public GrainState()
    {
        State = default!;
    }

    public GrainState(T state, string? eTag = null)
    {
        State = state;
        ETag = eTag;
    }

    public T State { get; set; }

    public string? ETag { get; set; }

    public bool RecordExists { get; set; }
}

/// <summary>
/// Persists grain state. Writes and clears must be conditional on <see cref="IGrainState{T}.ETag"/> and throw
/// <see cref="InconsistentStateException"/> when the stored version differs: that is what keeps two activations of
/// one grain (two hosts, or a stale one) from overwriting each other.
/// </summary>
public interface IGrainStorage
{
    Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);

    Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState);
}

/// <summary>
/// A write was based on a version that is no longer the stored one. When it escapes a grain call the runtime
/// deactivates the activation it came from, so the next call reloads; the caller still gets the exception.
/// </summary>
public class InconsistentStateException : Exception
{
    public InconsistentStateException()
        : this("The stored state has changed since it was read.")
    {
    }

    public InconsistentStateException(string message)
        : base(message)
    {
    }

    public InconsistentStateException(string message, Exception? innerException)
        : base(message, innerException)
    {
    }

    public InconsistentStateException(string message, string? storedEtag, string? currentEtag, Exception? innerException = null)
        : base(message, innerException)
    {
        StoredEtag = storedEtag;
        CurrentEtag = currentEtag;
    }

    /// <summary>The version in storage at the time of the write.</summary>
    public string? StoredEtag { get; }

    /// <summary>The version the writer held.</summary>
    public string? CurrentEtag { get; }

    /// <summary>
    /// True until the exception leaves the activation whose state is stale. A grain that merely passes on a callee's
    /// conflict keeps its own (valid) state, as in Orleans.
    /// </summary>
    internal bool IsSourceActivation { get; set; } = true;
}

/// <summary>
/// In-process storage for development and tests. State is kept as JSON, so a grain never shares an object with the
/// stored copy. ETags come from one counter and are never reused, even after a clear.
/// </summary>
public sealed class MemoryGrainStorage(JsonSerializerOptions? jsonOptions = null) : IGrainStorage
{
    private readonly JsonSerializerOptions _json = jsonOptions ?? JsonSerializerOptions.Default;
    private readonly Lock _lock = new();
    private readonly Dictionary<(string StateName, GrainId GrainId), StoredState> _states = [];
    private long _lastVersion;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run(() =>
    {
        StoredState? stored;
        lock (_lock) _states.TryGetValue((stateName, grainId), out stored);
        if (stored is null)
        {
            grainState.ResetToEmpty();
            return;
        }
        grainState.State = JsonSerializer.Deserialize<T>(stored.Json, _json)!;
        grainState.ETag = stored.ETag;
        grainState.RecordExists = true;
    });

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run(() =>
    {
        var json = JsonSerializer.Serialize(grainState.State, _json);
        lock (_lock)
        {
            var key = (stateName, grainId);
            CheckVersion(key, grainState.ETag);
            var eTag = (++_lastVersion).ToString(CultureInfo.InvariantCulture);
            _states[key] = new StoredState(json, eTag);
            grainState.ETag = eTag;
            grainState.RecordExists = true;
        }
    });

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) => Run(() =>
    {
        lock (_lock)
        {
            var key = (stateName, grainId);
            CheckVersion(key, grainState.ETag);
            _states.Remove(key);
        }
        grainState.ResetToEmpty();
    });

    private void CheckVersion((string StateName, GrainId GrainId) key, string? eTag)
    {
        var stored = _states.GetValueOrDefault(key)?.ETag;
        if (stored != eTag)
            throw new InconsistentStateException(
                $"Version conflict on {key.StateName} of {key.GrainId}: stored {stored ?? "nothing"}, writer had {eTag ?? "nothing"}.",
                stored, eTag);
    }

    // Callers await these methods; a faulted task keeps failures on the same path as a real database's.
    private static Task Run(Action action)
    {
        try
        {
            action();
            return Task.CompletedTask;
        }
        catch (Exception ex)
        {
            return Task.FromException(ex);
        }
    }

    private sealed record StoredState(string Json, string ETag);
}

public static class GrainStateExtensions
{
    /// <summary>What a grain sees when nothing is stored: a fresh state, no ETag. Every storage provider does this.</summary>
    public static void ResetToEmpty<T>(this IGrainState<T> grainState)
    {
        grainState.State = typeof(T).IsValueType || typeof(T).GetConstructor(Type.EmptyTypes) is not null
            ? Activator.CreateInstance<T>()
            : default!;
        grainState.ETag = null;
        grainState.RecordExists = false;
    }
}
