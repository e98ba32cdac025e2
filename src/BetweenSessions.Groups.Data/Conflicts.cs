using Orleans.Storage;

namespace BetweenSessions.Groups.Data;

internal static class Conflicts
{
    /// <param name="stored">The version in the database, null when there is no row.</param>
    /// <param name="expected">The version the writer loaded, null when it expected no row.</param>
    public static InconsistentStateException Stale(string what, long? stored, long? expected) =>
        new($"{what} was changed by someone else: stored version {Describe(stored)}, expected {Describe(expected)}.",
            stored?.ToString(), expected?.ToString());

    /// <summary>A write that lost to another writer. Such a write fails alone; the rest of its batch commits.</summary>
    public static bool IsConflict(Exception e) => e is InconsistentStateException;

    private static string Describe(long? version) => version?.ToString() ?? "none";
}
