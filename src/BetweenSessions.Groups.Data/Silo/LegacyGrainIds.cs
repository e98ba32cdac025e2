using Orleans.Runtime;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// How the home-made runtime named a grain (its class name, a Guid key in "D" format) maps onto Orleans' grain id:
/// the type the grain class carries in [GrainType] (Orleans' own convention: the class name lowercased without
/// "Grain"), and a Guid key in the "N" format Orleans writes (GrainIdKeyExtensions.CreateGuidKey). String keys stay.
/// The GrainState migration (OrleansCluster) does the same in SQL for the six grain classes the app has.
/// </summary>
public static class LegacyGrainIds
{
    /// <summary>The grain types whose keys are Guids.</summary>
    private static readonly HashSet<string> GuidKeyed = new(StringComparer.Ordinal) { "circle", "commitment" };

    public static string GrainType(string className)
    {
        var type = className.EndsWith("Grain", StringComparison.Ordinal) && className.Length > "Grain".Length
            ? className[..^"Grain".Length]
            : className;
        return type.ToLowerInvariant();
    }

    public static GrainId ToGrainId(string className, string key)
    {
        var type = GrainType(className);
        if (GuidKeyed.Contains(type) && Guid.TryParse(key, out var guid)) key = guid.ToString("N");
        return GrainId.Create(type, key);
    }
}
