using System.Globalization;
using BetweenSessions.Groups.Grains.Settings;

namespace BetweenSessions.Groups.Grains.Nudges;

/// <summary>
/// Whether a nudge reaches a person now, later or not at all, from their settings alone. Pause wins over everything;
/// quiet hours (in the person's own time zone) defer to their end rather than drop; a lighter week allows at most one
/// nudge in any seven days; a nudge whose moment has passed (an invitation after its window) is not sent late.
/// </summary>
public static class NudgePolicy
{
    public static readonly TimeSpan LighterWeekSpan = TimeSpan.FromDays(7);

    public static NudgeDecision Decide(MemberSettings settings, DateTimeOffset now, DateTimeOffset? lastDeliveredAt,
        DateTimeOffset? validUntil)
    {
        if (settings.PauseAllNudges) return new(NudgeDecisionKind.HoldBack, Reason: "paused");
        if (validUntil is { } until && now >= until) return new(NudgeDecisionKind.HoldBack, Reason: "no longer timely");
        if (QuietUntil(settings, now) is { } end)
            return validUntil is { } last && end >= last
                ? new(NudgeDecisionKind.HoldBack, Reason: "quiet hours outlast it")
                : new(NudgeDecisionKind.Defer, end);
        if (settings.LighterWeek && lastDeliveredAt is { } previous && now - previous < LighterWeekSpan)
            return new(NudgeDecisionKind.HoldBack, Reason: "lighter week");
        return new(NudgeDecisionKind.Deliver);
    }

    /// <summary>When the quiet hours that hold at <paramref name="now"/> end, or null when it is not quiet.</summary>
    public static DateTimeOffset? QuietUntil(MemberSettings settings, DateTimeOffset now)
    {
        if (Parse(settings.QuietFrom) is not { } from || Parse(settings.QuietTo) is not { } to || from == to) return null;
        var zone = ZonedTime.Zone(settings.TimeZoneId);
        var local = ZonedTime.Local(now, zone);
        var time = TimeOnly.FromDateTime(local);
        DateOnly endDate;
        if (from < to)
        {
            if (time < from || time >= to) return null;
            endDate = DateOnly.FromDateTime(local);
        }
        else
        {
            if (time < from && time >= to) return null;
            endDate = DateOnly.FromDateTime(local).AddDays(time >= from ? 1 : 0);
        }
        var end = ZonedTime.ToInstant(endDate.ToDateTime(to), zone);
        return end > now ? end : null;
    }

    private static TimeOnly? Parse(string? text) =>
        TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var t) ? t : null;
}
