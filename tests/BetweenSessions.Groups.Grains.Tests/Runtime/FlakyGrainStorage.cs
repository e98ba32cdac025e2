using Orleans.Storage;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

/// <summary>Grain storage whose writes fail on demand, as a database that is briefly unreachable would.</summary>
public sealed class FlakyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    private readonly Lock _lock = new();
    private int _failures;

    /// <summary>The next write to a matching grain fails, once.</summary>
    public Func<GrainId, bool>? FailNextWrite { get; set; }

    /// <summary>Every write to a matching grain fails while this is set.</summary>
    public Func<GrainId, bool>? FailAlways { get; set; }

    public int Failures => Volatile.Read(ref _failures);

    public IGrainStorage Inner => inner;

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (FailAlways?.Invoke(grainId) == true) throw new IOException("The database is unreachable.");
        lock (_lock)
        {
            if (FailNextWrite?.Invoke(grainId) == true)
            {
                FailNextWrite = null;
                _failures++;
                throw new IOException("The database is unreachable.");
            }
        }
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
