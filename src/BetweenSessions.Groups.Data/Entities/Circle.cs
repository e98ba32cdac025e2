namespace BetweenSessions.Groups.Data.Entities;

public sealed class Circle
{
    public Guid Id { get; set; }
    public string Name { get; set; } = "";
    public string InviteCode { get; set; } = "";
    public DateTimeOffset CreatedAt { get; set; }
    public long LastSeq { get; set; }

    /// <summary>
    /// Optimistic concurrency token managed by the application (bumped by one per commit), so it works the same on
    /// SQLite, which has no row version type.
    /// </summary>
    public long Version { get; set; }

    /// <summary>
    /// The check-in round a facilitator has open (at most one per circle), or all four null. Written by every commit.
    /// </summary>
    public Guid? OpenRoundId { get; set; }
    public string? OpenRoundPrompt { get; set; }
    public DateTimeOffset? OpenRoundStartedAt { get; set; }
    public string? OpenRoundStartedBy { get; set; }

    /// <summary>When a facilitator archived the circle (read-only from then on), or null.</summary>
    public DateTimeOffset? ArchivedAt { get; set; }

    /// <summary>
    /// The circle's own settings (crisis resources, round prompts, seating order) as JSON, or null for the defaults.
    /// Written only by commits that change them.
    /// </summary>
    public string? FacilitationJson { get; set; }

    public List<CircleMember> Members { get; set; } = [];
}
