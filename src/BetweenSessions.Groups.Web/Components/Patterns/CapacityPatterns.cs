using System.Text.Json;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Web.Components.Patterns;

/// <summary>
/// A member's own check-ins as a picture: capacity over the days, when they felt most like themself, and the
/// feeling words they used most. Patterns, not performance: nothing here counts days, keeps streaks, scores or
/// says what was missed; a day without a check-in is simply not there. Pure and browser-free, for unit tests.
/// </summary>
public static class CapacityPatterns
{
    /// <summary>How far back the picture reaches.</summary>
    public const int WindowDays = 56;

    /// <summary>At most this many feeling words are shown.</summary>
    public const int MaxWords = 15;

    /// <summary>One of the member's check-ins, read from its payload.</summary>
    public sealed record CheckIn(DateTimeOffset At, string Capacity, IReadOnlyList<string> Feelings);

    /// <summary>One dot on the chart: a check-in's day (local midnight) and its place on the capacity scale.</summary>
    public sealed record Point(DateTime Day, int Level, string Capacity);

    /// <summary>A day with at least one check-in, for the text alternative of the chart.</summary>
    public sealed record Day(DateOnly Date, IReadOnlyList<string> Capacities);

    /// <summary>A feeling word and a gentle size (1 small, 2 medium, 3 large): never a count.</summary>
    public sealed record Word(string Text, int Size);

    public sealed record Picture(
        DateTime From,
        DateTime To,
        IReadOnlyList<Point> Points,
        IReadOnlyList<Day> Days,
        IReadOnlyList<string> SteadyWeekdays,
        IReadOnlyList<string> SteadyTimesOfDay,
        IReadOnlyList<Word> Words)
    {
        public bool IsEmpty => Points.Count == 0;
    }

    /// <summary>The place of a capacity on the ordered scale resting &lt; low &lt; some &lt; steady &lt; open.</summary>
    public static int Level(string capacity) => Capacity.All.ToList().IndexOf(capacity);

    /// <summary>The member's own check-ins among any events: another member's never count, whatever their audience.</summary>
    public static IReadOnlyList<CheckIn> OwnCheckIns(IEnumerable<CircleEvent> events, string memberId) =>
        events.Where(e => e.MemberId == memberId && e.Type == EventTypes.CheckIn)
            .Select(Read)
            .OfType<CheckIn>()
            .ToList();

    public static Picture Build(IEnumerable<CircleEvent> events, string memberId, DateTimeOffset now, TimeZoneInfo zone) =>
        Build(OwnCheckIns(events, memberId), now, zone);

    public static Picture Build(IReadOnlyList<CheckIn> checkIns, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var from = today.AddDays(-(WindowDays - 1));
        var local = checkIns
            .Select(c => (CheckIn: c, Local: TimeZoneInfo.ConvertTime(c.At, zone).DateTime))
            .Where(c => c.Local.Date >= from && c.Local.Date <= today)
            .OrderBy(c => c.Local)
            .ToList();

        var points = local.Select(c => new Point(c.Local.Date, Level(c.CheckIn.Capacity), c.CheckIn.Capacity)).Distinct().ToList();
        var days = local.GroupBy(c => DateOnly.FromDateTime(c.Local))
            .Select(g => new Day(g.Key, g.Select(c => c.CheckIn.Capacity).Distinct().ToList()))
            .OrderByDescending(d => d.Date)
            .ToList();

        var steady = local.Where(c => c.CheckIn.Capacity is Capacity.Steady or Capacity.Open).ToList();
        var weekdays = MostOften(steady.Select(c => c.Local.DayOfWeek), d => ((int)d + 6) % 7)
            .Select(d => d + "s").Take(3).ToList();
        var times = MostOften(steady.Select(c => TimeOfDay(c.Local)), t => Array.IndexOf(TimesOfDay, t)).Take(2).ToList();

        return new Picture(from, today, points, days, weekdays, times, Words(local.Select(c => c.CheckIn)));
    }

    private static readonly string[] TimesOfDay = ["mornings", "afternoons", "evenings", "nights"];

    public static string TimeOfDay(DateTime local) => local.Hour switch
    {
        >= 5 and < 12 => "mornings",
        >= 12 and < 17 => "afternoons",
        >= 17 and < 22 => "evenings",
        _ => "nights",
    };

    /// <summary>Distinct values, most often first; ties keep their natural order.</summary>
    private static IEnumerable<T> MostOften<T>(IEnumerable<T> values, Func<T, int> order) where T : notnull =>
        values.GroupBy(v => v).OrderByDescending(g => g.Count()).ThenBy(g => order(g.Key)).Select(g => g.Key);

    /// <summary>Feeling words, most used first (then most recently used), compared without case; sized in three gentle steps.</summary>
    public static IReadOnlyList<Word> Words(IEnumerable<CheckIn> checkIns)
    {
        var uses = checkIns.Select((c, i) => (c, i))
            .SelectMany(x => x.c.Feelings.Select(f => (Word: f.Trim(), Order: x.i)))
            .Where(x => x.Word.Length > 0)
            .GroupBy(x => x.Word.ToLowerInvariant())
            .Select(g => (Text: g.Last().Word, Count: g.Count(), Latest: g.Max(x => x.Order)))
            .OrderByDescending(w => w.Count).ThenByDescending(w => w.Latest).ThenBy(w => w.Text, StringComparer.OrdinalIgnoreCase)
            .Take(MaxWords)
            .ToList();
        if (uses.Count == 0) return [];
        var most = uses[0].Count;
        return uses.Select(w => new Word(w.Text, most == 1 ? 2 : w.Count * 3 >= most * 2 ? 3 : w.Count * 3 >= most ? 2 : 1)).ToList();
    }

    /// <summary>Reads a check-in's payload ({capacity, feelings, note}); anything unreadable is left out, not guessed.</summary>
    public static CheckIn? Read(CircleEvent e)
    {
        try
        {
            using var doc = JsonDocument.Parse(e.PayloadJson);
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("capacity", out var cap) || cap.ValueKind != JsonValueKind.String
                || !Capacity.IsValid(cap.GetString()))
                return null;
            var feelings = root.TryGetProperty("feelings", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                : [];
            return new CheckIn(e.At, cap.GetString()!, feelings);
        }
        catch (JsonException) { return null; }
    }
}
