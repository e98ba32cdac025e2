namespace BetweenSessions.Groups.Domain;

/// <summary>
/// How much a person has in them right now, from a small fixed set so that group-level charts can show a spread.
/// Ordered from least to most available; "resting" is a full, valid answer, not a low score.
/// </summary>
public static class Capacity
{
    public const string Resting = "resting";
    public const string Low = "low";
    public const string Some = "some";
    public const string Steady = "steady";
    public const string Open = "open";

    public static readonly IReadOnlyList<string> All = [Resting, Low, Some, Steady, Open];

    public static bool IsValid(string? value) => value is not null && All.Contains(value);

    /// <summary>The words for a capacity in the current culture; an unknown value is shown as it came.</summary>
    public static string Describe(string capacity) => IsValid(capacity) ? DomainText.Get($"Capacity.{capacity}") : capacity;
}
