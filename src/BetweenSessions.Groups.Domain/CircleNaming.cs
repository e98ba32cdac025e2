namespace BetweenSessions.Groups.Domain;

public static class CircleNaming
{
    public static string ValidName(string? name)
    {
        var v = new Validation();
        var valid = v.Name("name", name, Limits.CircleName, "CircleName");
        v.ThrowIfInvalid();
        return valid;
    }

    public static string ValidDisplayName(string? displayName)
    {
        var v = new Validation();
        var valid = v.Name("displayName", displayName, Limits.DisplayName, "DisplayName");
        v.ThrowIfInvalid();
        return valid;
    }
}
