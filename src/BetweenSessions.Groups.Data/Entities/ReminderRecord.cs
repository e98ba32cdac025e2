namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// One durable reminder of one grain. NextDue is the tick not yet fired; ETag changes on every write, and a host
/// records a tick as fired by moving NextDue on (or deleting a one-shot reminder) only while the ETag it read is
/// still stored. PeriodMs is -1 for a reminder that fires once.
/// </summary>
public sealed class ReminderRecord
{
    public string GrainType { get; set; } = "";
    public string GrainKey { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset FirstTick { get; set; }
    public long PeriodMs { get; set; }
    public DateTimeOffset NextDue { get; set; }
    public string ETag { get; set; } = "";
}
