namespace BetweenSessions.Groups.Contracts.Nudges;

/// <summary>Wall-clock times in a person's or a circle's IANA time zone, turned into instants across DST changes.</summary>
public static class ZonedTime
{
    public static TimeZoneInfo Zone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : TimeZoneInfo.Utc;

    public static DateTime Local(DateTimeOffset instant, TimeZoneInfo zone) => TimeZoneInfo.ConvertTime(instant, zone).DateTime;

    /// <summary>
    /// The instant a wall-clock time names. A time skipped by a spring-forward change means the moment the clocks
    /// jumped to (02:30 becomes 03:00 local); a time that happens twice in autumn means the first of the two.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            var probe = local;
            while (zone.IsInvalidTime(probe)) probe = probe.AddMinutes(1);
            local = probe;
        }
        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }
}
