using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>Assertions and helpers shared by the hub tests.</summary>
internal static class HubAssert
{
    /// <summary>The people a scenario script connects as: BSG_TOKEN_NAME for each name.</summary>
    public static Dictionary<string, TestUser> People(params (string Name, TestUser User)[] people) =>
        people.ToDictionary(p => p.Name, p => p.User);

    /// <summary>
    /// The call failed with exactly this HubException message. The npm client shows it as
    /// "An unexpected error occurred invoking 'Method' on the server. HubException: message".
    /// </summary>
    public static void Refused<T>(Attempt<T> attempt, string message, string? because = null)
    {
        Assert.False(attempt.Ok, $"{because}: expected the refusal \"{message}\", but the call succeeded.");
        Assert.True(attempt.Error!.EndsWith($"HubException: {message}", StringComparison.Ordinal),
            $"{because}: expected the refusal \"{message}\", got \"{attempt.Error}\".");
    }

    public static Guid Guid(this JsonObject e, string property) => System.Guid.Parse((string)e[property]!);

    public static long Seq(this JsonObject e) => (long)e["seq"]!;

    public static string Type(this JsonObject e) => (string)e["type"]!;

    /// <summary>The property names of an event, sorted: its envelope and its type's payload.</summary>
    public static List<string> Fields(this JsonObject e) => e.Select(p => p.Key).Order(StringComparer.Ordinal).ToList();

    /// <summary>Every seq is greater than the one before: ordered, and no event twice.</summary>
    public static void StrictlyIncreasing(IEnumerable<long> seqs, string what)
    {
        var list = seqs.ToList();
        for (var i = 1; i < list.Count; i++)
            Assert.True(list[i] > list[i - 1], $"{what}: seq {list[i]} came after {list[i - 1]} ({string.Join(", ", list)}).");
    }
}
