using BetweenSessions.Groups.Grains.Nudges;

namespace BetweenSessions.Groups.Grains.Commitments;

/// <summary>
/// When a commitment's cue time next comes round on a practitioner's own clock. Pure: dates are counted in the
/// person's zone and only then turned into instants, so "around 8:00" stays 8:00 local across DST changes.
/// </summary>
public static class CueSchedule
{
    /// <summary>
    /// The instant of the cue on one local date. A time the spring-forward change skips moves forward by the gap
    /// (02:30 Berlin on that Sunday is 03:30 summer time: the same distance after 01:59 as any other day); a time
    /// that happens twice in autumn is the first of the two.
    /// </summary>
    public static DateTimeOffset On(DateOnly date, TimeOnly time, TimeZoneInfo zone)
    {
        var local = date.ToDateTime(time, DateTimeKind.Unspecified);
        if (!zone.IsInvalidTime(local)) return ZonedTime.ToInstant(local, zone);
        // Read the skipped time with the offset in force just before the clocks jumped.
        var jump = ZonedTime.ToInstant(local, zone);
        var before = zone.GetUtcOffset(jump.AddTicks(-1));
        return new DateTimeOffset(local, before).ToUniversalTime();
    }

    /// <summary>The first cue strictly after <paramref name="after"/>.</summary>
    public static DateTimeOffset Next(TimeOnly time, TimeZoneInfo zone, DateTimeOffset after)
    {
        var date = LocalDate(after, zone).AddDays(-1);
        while (true)
        {
            var instant = On(date, time, zone);
            if (instant > after) return instant;
            date = date.AddDays(1);
        }
    }

    /// <summary>The person's own calendar date at an instant: what makes a day's reminder "the same one".</summary>
    public static DateOnly LocalDate(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(ZonedTime.Local(instant, zone));
}
