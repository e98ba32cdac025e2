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

    public List<CircleMember> Members { get; set; } = [];
}
