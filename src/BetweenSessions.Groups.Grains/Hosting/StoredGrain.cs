using Orleans.Storage;

namespace BetweenSessions.Groups.Grains.Hosting;

/// <summary>
/// A grain with one persisted state object in the project's grain storage (<see cref="GroupsStorage.Name"/>),
/// under a state name the grain chooses once and keeps: rows written by earlier versions are found by it.
/// </summary>
public abstract class StoredGrain<TState>(IPersistentState<TState> stored) : Grain
{
    protected TState State
    {
        get => stored.State;
        set => stored.State = value;
    }

    protected Task WriteStateAsync() => Persist(stored.WriteStateAsync);

    protected Task ClearStateAsync() => Persist(stored.ClearStateAsync);

    /// <summary>
    /// A write that failed (the database unreachable, say) leaves this activation's state ahead of what is stored:
    /// kept, it would answer as if the change had been made and take a retry for a repeat. Orleans keeps such an
    /// activation, so this one asks to go once the call ends, and the next call starts from what is stored. A stale
    /// write (<see cref="InconsistentStateException"/>) is deactivated by Orleans itself.
    /// </summary>
    private async Task Persist(Func<Task> write)
    {
        try
        {
            await write();
        }
        catch (Exception ex) when (ex is not InconsistentStateException)
        {
            DeactivateOnIdle();
            throw;
        }
    }
}

public static class GroupsStorage
{
    /// <summary>The grain storage provider every grain uses: the project's own database.</summary>
    public const string Name = "groups";
}
