using BetweenSessions.Groups.Grains.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Runtime;

/// <summary>Grain storage whose writes fail on demand, as a database that is briefly unreachable would.</summary>
public sealed class FlakyGrainStorage(IGrainStorage inner) : IGrainStorage
{
    public Func<GrainId, bool>? FailNextWrite { get; set; }

    public Func<GrainId, bool>? FailAlways { get; set; }

    public int Failures { get; private set; }

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (FailAlways?.Invoke(grainId) == true) throw new IOException("The database is unreachable.");
        if (FailNextWrite?.Invoke(grainId) == true)
        {
            FailNextWrite = null;
            Failures++;
            throw new IOException("The database is unreachable.");
        }
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
