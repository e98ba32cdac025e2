namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// One Orleans reminder of one grain. GrainId is Orleans' "type/key"; GrainHash is its uniform hash (a uint, kept in
/// a long so that every provider compares it as a number), stored because each silo reads the reminders of its own
/// part of the hash ring. StartAt is the first tick (UTC); Orleans works out the later ones from it and the period.
/// ETag changes with every write.
/// </summary>
public sealed class ReminderRecord
{
    public string GrainId { get; set; } = "";
    public long GrainHash { get; set; }
    public string Name { get; set; } = "";
    public DateTimeOffset StartAt { get; set; }
    public long PeriodMs { get; set; }
    public string ETag { get; set; } = "";
}
