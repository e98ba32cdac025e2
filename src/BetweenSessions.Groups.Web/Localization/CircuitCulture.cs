using System.Globalization;
using Microsoft.AspNetCore.Components.Server.Circuits;

namespace BetweenSessions.Groups.Web.Localization;

/// <summary>
/// The language of one Blazor circuit, taken when the circuit opens (its connection passed the request localization).
/// What arrives live from the grains is rendered on their threads, in whatever culture those have: a component that a
/// live event may create or re-render puts this one back first (<see cref="Use"/>).
/// </summary>
public sealed class CircuitCulture : CircuitHandler
{
    public CultureInfo Culture { get; } = CultureInfo.CurrentUICulture;

    /// <summary>Sets the circuit's culture on the current flow, if another one is there.</summary>
    public void Use()
    {
        if (Equals(CultureInfo.CurrentUICulture, Culture) && Equals(CultureInfo.CurrentCulture, Culture)) return;
        CultureInfo.CurrentUICulture = Culture;
        CultureInfo.CurrentCulture = Culture;
    }
}
