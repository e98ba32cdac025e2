namespace BetweenSessions.Groups.Grains.Runtime;

/// <summary>Marker for grain interfaces. Every method must return <see cref="Task"/> or <see cref="Task{TResult}"/>.</summary>
public interface IGrain { }

public interface IGrainWithGuidKey : IGrain { }

public interface IGrainWithStringKey : IGrain { }

/// <summary>Marker for objects that grains call back, such as per-host hub adapters and Blazor components.</summary>
public interface IGrainObserver { }

/// <summary>
/// Hands out grain references. A reference is a cheap proxy that may be held for any length of time: every call
/// through it finds (or creates) the activation for its identity at call time.
/// </summary>
public interface IGrainFactory
{
    TGrain GetGrain<TGrain>(Guid key) where TGrain : IGrainWithGuidKey;

    TGrain GetGrain<TGrain>(string key) where TGrain : IGrainWithStringKey;
}

/// <summary>Identity of one grain: its class name and its key (a Guid key in its "D" format).</summary>
public readonly record struct GrainId(string Type, string Key)
{
    public override string ToString() => $"{Type}/{Key}";
}

public enum DeactivationReasonCode
{
    IdleTimeout,
    ApplicationRequested,
    StateConflict,
    StateWriteFailed,
    ShuttingDown,
    ActivationFailed,
}

public readonly record struct DeactivationReason(DeactivationReasonCode Code, string? Description);
