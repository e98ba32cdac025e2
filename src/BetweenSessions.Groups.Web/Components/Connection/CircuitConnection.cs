using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BetweenSessions.Groups.Web.Components.Connection;

/// <summary>
/// Tells the components of one circuit when its browser connection drops and comes back. The circuit (and the page's
/// grain subscription) lives on while the browser is away, so the page keeps receiving entries; what it needs to
/// know is the moment the person can see them again, to mark what arrived meanwhile and send what they wrote offline.
/// </summary>
public sealed class CircuitConnection : CircuitHandler
{
    /// <summary>Raised on the circuit's connection going down; handlers must not block.</summary>
    public event Action? Down;

    /// <summary>Raised once the same circuit has its browser back (a new circuit after a restart starts afresh instead).</summary>
    public event Action? Up;

    public bool IsUp { get; private set; } = true;

    public override Task OnConnectionDownAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        IsUp = false;
        Down?.Invoke();
        return Task.CompletedTask;
    }

    public override Task OnConnectionUpAsync(Circuit circuit, CancellationToken cancellationToken)
    {
        // The first "up" of a circuit is its start, not a return.
        var returning = !IsUp;
        IsUp = true;
        if (returning) Up?.Invoke();
        return Task.CompletedTask;
    }
}
