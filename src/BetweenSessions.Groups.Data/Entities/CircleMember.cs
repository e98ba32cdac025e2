using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Data.Entities;

public sealed class CircleMember
{
    public Guid CircleId { get; set; }

    /// <summary>The Identity user id.</summary>
    public string MemberId { get; set; } = "";

    /// <summary>The name this person uses in this circle; it may differ from circle to circle.</summary>
    public string DisplayName { get; set; } = "";

    public CircleRole Role { get; set; }
    public DateTimeOffset JoinedAt { get; set; }
}
