namespace BetweenSessions.Groups.Domain;

/// <summary>The languages the product is written in: a person's choice, a crisis resource's language.</summary>
public static class Languages
{
    public static IReadOnlyList<string> Supported { get; } = ["en", "es"];
}
