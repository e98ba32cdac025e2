namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// One access-log entry; append-only (a trigger refuses UPDATE and DELETE). Names are copied in as they were, so the
/// log still reads right after someone renames, leaves or deletes their account.
/// </summary>
public sealed class AccessLogRecord
{
    public long Id { get; set; }
    public DateTimeOffset At { get; set; }
    public string ActorId { get; set; } = "";
    public string? ActorName { get; set; }
    public string Action { get; set; } = "";
    public Guid? CircleId { get; set; }
    public string? CircleName { get; set; }
    public string? SubjectId { get; set; }
    public string? SubjectName { get; set; }
    public string? Detail { get; set; }
}
