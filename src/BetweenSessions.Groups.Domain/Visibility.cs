namespace BetweenSessions.Groups.Domain;

/// <summary>Who may see an entry. Chosen by its author; enforced by the server for live pushes, replays and pages.</summary>
[GenerateSerializer]
public enum Visibility
{
    Circle = 0,
    Facilitators = 1,
    Private = 2,
}

public static class VisibilityNames
{
    public const string Circle = "circle";
    public const string Facilitators = "facilitators";
    public const string Private = "private";

    public static string ToWire(this Visibility visibility) => visibility switch
    {
        Visibility.Facilitators => Facilitators,
        Visibility.Private => Private,
        _ => Circle,
    };

    public static bool TryParse(string? value, out Visibility visibility)
    {
        switch (value)
        {
            case Circle: visibility = Visibility.Circle; return true;
            case Facilitators: visibility = Visibility.Facilitators; return true;
            case Private: visibility = Visibility.Private; return true;
            default: visibility = default; return false;
        }
    }

    /// <summary>Words a person reads in the interface, next to the entry.</summary>
    public static string Describe(this Visibility visibility) => visibility switch
    {
        Visibility.Facilitators => "facilitators only",
        Visibility.Private => "only me",
        _ => "the circle",
    };
}
