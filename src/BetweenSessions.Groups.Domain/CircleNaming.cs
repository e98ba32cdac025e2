namespace BetweenSessions.Groups.Domain;

public static class CircleNaming
{
    public static string ValidName(string? name)
    {
        new Validation()
            .Required("name", name, "A circle name")
            .MaxLength("name", name?.Trim(), Limits.CircleName, "A circle name")
            .ThrowIfInvalid();
        return name!.Trim();
    }

    public static string ValidDisplayName(string? displayName)
    {
        new Validation()
            .Required("displayName", displayName, "A display name")
            .MaxLength("displayName", displayName?.Trim(), Limits.DisplayName, "A display name")
            .ThrowIfInvalid();
        return displayName!.Trim();
    }
}
