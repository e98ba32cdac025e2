namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// A reminder as the home-made grain runtime kept it (before Orleans): grain class name and key, the tick not yet
/// fired (NextDue) and PeriodMs -1 for one that fires once. The table is kept, renamed, so that nothing a database
/// held is dropped: <see cref="LegacyReminderMove"/> moves every row into <see cref="ReminderRecord"/> at start-up.
/// </summary>
public sealed class LegacyReminderRecord
{
    public string GrainType { get; set; } = "";
    public string GrainKey { get; set; } = "";
    public string Name { get; set; } = "";
    public DateTimeOffset FirstTick { get; set; }
    public long PeriodMs { get; set; }
    public DateTimeOffset NextDue { get; set; }
    public string ETag { get; set; } = "";
}
