using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Data.Entities;

/// <summary>One entry of a circle's log; append-only.</summary>
public sealed class CircleEventRecord
{
    public Guid CircleId { get; set; }
    public long Seq { get; set; }
    public Guid EventId { get; set; }
    public string Type { get; set; } = "";
    public DateTimeOffset At { get; set; }
    public string MemberId { get; set; } = "";

    /// <summary>The author's name when they wrote it: the log reads as it was.</summary>
    public string DisplayName { get; set; } = "";

    public Visibility Visibility { get; set; }
    public string? ClientEventId { get; set; }
    public string PayloadJson { get; set; } = "";

    /// <summary>The person the entry answers, if any; they always see it, whatever its visibility.</summary>
    public string? SubjectMemberId { get; set; }
}
