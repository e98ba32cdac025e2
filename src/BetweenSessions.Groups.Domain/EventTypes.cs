namespace BetweenSessions.Groups.Domain;

/// <summary>The types of entries in a circle's event log, as they appear on the wire.</summary>
public static class EventTypes
{
    public const string CircleCreated = "circle-created";
    public const string MemberJoined = "member-joined";
    public const string CheckIn = "check-in";
}
