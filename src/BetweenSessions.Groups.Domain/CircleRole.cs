namespace BetweenSessions.Groups.Domain;

/// <summary>A person's role in one circle. Roles are per circle: a facilitator here may be a member elsewhere.</summary>
[GenerateSerializer]
public enum CircleRole
{
    Member = 0,
    Facilitator = 1,
}

public static class CircleRoleNames
{
    public static string ToWire(this CircleRole role) => role == CircleRole.Facilitator ? "facilitator" : "member";
}
