using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Nudges;

namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>One session as it will happen: named by its key, at instants (the local times made absolute in the circle's zone).</summary>
[GenerateSerializer, Immutable]
public sealed record Session(string Key, DateTimeOffset Start, DateTimeOffset End);

/// <summary>
/// Pure: which sessions a schedule holds from a moment on. The rhythm is counted in local dates and times of the
/// schedule's zone and only then made absolute, so a weekly 19:00 session stays 19:00 local across a DST change.
/// </summary>
public static class SessionCalendar
{
    // Far enough for "the next few sessions" of any rhythm, short enough that a sparse schedule ends the search.
    private const int HorizonDays = 400;

    /// <summary>Sessions still to end after <paramref name="from"/> (a session under way included), earliest first.</summary>
    public static IReadOnlyList<Session> Upcoming(SessionSchedule schedule, DateTimeOffset from, int count)
    {
        var zone = ZonedTime.Zone(schedule.TimeZone);
        var duration = TimeSpan.FromMinutes(schedule.DurationMinutes);
        var cancelled = (schedule.Cancelled ?? []).ToHashSet();
        var moved = (schedule.Moved ?? []).GroupBy(m => m.From).ToDictionary(g => g.Key, g => g.Last().To);
        // A session moved from a time before "from" can land after it, so the search starts before the earliest such move.
        var fromLocal = ZonedTime.Local(from, zone).Date.AddDays(-1);
        var earliest = moved.Keys.Where(k => k < fromLocal).DefaultIfEmpty(fromLocal).Min();
        var until = fromLocal.AddDays(HorizonDays);

        var sessions = new List<Session>();
        foreach (var planned in Planned(schedule, earliest.Date, until).Concat(schedule.Added ?? []).Distinct())
        {
            if (cancelled.Contains(planned)) continue;
            var local = moved.TryGetValue(planned, out var to) ? to : planned;
            var start = ZonedTime.ToInstant(local, zone);
            // The end is counted in elapsed time: a session over a DST change still lasts its 90 minutes.
            var end = start + duration;
            if (end > from) sessions.Add(new Session(SessionSchedule.SessionKey(planned), start, end));
        }
        return sessions.OrderBy(s => s.Start).ThenBy(s => s.Key, StringComparer.Ordinal).Take(count).ToList();
    }

    public static Session? Next(SessionSchedule? schedule, DateTimeOffset from) =>
        schedule is null ? null : Upcoming(schedule, from, 1).FirstOrDefault();

    /// <summary>The session with this key, wherever it was moved, if the schedule (still) holds it.</summary>
    public static Session? Find(SessionSchedule schedule, string key, DateTimeOffset around) =>
        Upcoming(schedule, around.AddDays(-HorizonDays / 2.0), int.MaxValue).FirstOrDefault(s => s.Key == key);

    /// <summary>The opening round prompt chosen for a session, if any.</summary>
    public static string? OpeningPrompt(SessionSchedule? schedule, Session? session) =>
        session is null ? null
            : schedule?.OpeningPrompts?.LastOrDefault(p => SessionSchedule.SessionKey(p.Session) == session.Key)?.Prompt;

    /// <summary>The local starts the rhythm gives, between two local dates, before any change.</summary>
    private static IEnumerable<DateTime> Planned(SessionSchedule schedule, DateTime fromDate, DateTime untilDate)
    {
        if (schedule.Cadence == SessionSchedule.ChosenDates)
        {
            foreach (var date in schedule.Dates) yield return date;
            yield break;
        }
        var step = schedule.Cadence == SessionSchedule.Fortnightly ? 14 : 7;
        var first = schedule.StartsOn.ToDateTime(schedule.Time);
        var date0 = first;
        if (fromDate > first.Date)
        {
            var periods = (int)((fromDate - first.Date).TotalDays / step);
            date0 = first.AddDays(periods * step);
        }
        for (var d = date0; d.Date <= untilDate; d = d.AddDays(step)) yield return d;
    }
}
