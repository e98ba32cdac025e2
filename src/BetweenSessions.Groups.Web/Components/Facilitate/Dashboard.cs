using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Components.Circles;

namespace BetweenSessions.Groups.Web.Components.Facilitate;

/// <summary>How far back the presence facts and group views of the dashboard look.</summary>
public enum Period
{
    ThisWeek,
    PastTwoWeeks,
    PastFourWeeks,
}

/// <summary>
/// What the facilitator dashboard shows, built from the entries the facilitator may see (the caller passes only
/// those: the history read and the live observer both apply <see cref="Audience.CanSee"/>). Pure, for unit tests.
/// Participation without ranking: the member list keeps the order it is given (seats or alphabetical) whatever
/// anyone did; per member there are only quiet marks of the ways they showed up and a date, never a count or a "not
/// yet"; group views hide every slice
/// that stands for fewer than <see cref="GroupAggregates.MinimumGroupSize"/> people.
/// </summary>
public static class Dashboard
{
    /// <summary>The longest period: the history the dashboard loads.</summary>
    public const int WindowDays = 28;

    public static IReadOnlyList<Period> Periods { get; } = [Period.ThisWeek, Period.PastTwoWeeks, Period.PastFourWeeks];

    /// <summary>The start of the period in the facilitator's time zone: Monday 00:00 for this week, else whole days back.</summary>
    public static DateTimeOffset Start(Period period, DateTimeOffset now, TimeZoneInfo zone)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        var first = period switch
        {
            Period.ThisWeek => today.AddDays(-(((int)today.DayOfWeek + 6) % 7)),
            Period.PastTwoWeeks => today.AddDays(-13),
            _ => today.AddDays(-(WindowDays - 1)),
        };
        return new DateTimeOffset(first, zone.GetUtcOffset(first));
    }

    /// <summary>The earliest instant any period can reach back to.</summary>
    public static DateTimeOffset WindowStart(DateTimeOffset now, TimeZoneInfo zone) =>
        Periods.Select(p => Start(p, now, zone)).Min();

    // ---- People -------------------------------------------------------------------------------------------------

    /// <summary>
    /// A way a person showed up in the period. Every way counts alike, resting and passing included; the order is
    /// this fixed one for everyone, and a mark says only that it happened, never how often.
    /// </summary>
    public enum ShowedUp { CheckIn, Round, Win, WithSomeone, Practice, Reflection, Brought }

    /// <summary>The entries that show someone up, and how: their own words and answers, not joins or bookkeeping.</summary>
    private static readonly IReadOnlyDictionary<string, ShowedUp> Ways = new Dictionary<string, ShowedUp>
    {
        [EventTypes.CheckIn] = ShowedUp.CheckIn,
        [EventTypes.RoundAnswered] = ShowedUp.Round,
        [EventTypes.WinShared] = ShowedUp.Win,
        [EventTypes.Acknowledged] = ShowedUp.WithSomeone,
        [EventTypes.CommitmentMade] = ShowedUp.Practice,
        [EventTypes.CommitmentJoined] = ShowedUp.Practice,
        [EventTypes.PracticeLogged] = ShowedUp.Practice,
        [EventTypes.Reflected] = ShowedUp.Reflection,
        [EventTypes.BroughtToSession] = ShowedUp.Brought,
    };

    /// <summary>What counts as hearing from someone: every way of showing up, and asking for support.</summary>
    public static readonly IReadOnlyCollection<string> HeardFromTypes = [.. Ways.Keys, EventTypes.SupportRequested];

    /// <summary>Gentle presence facts for one member: the ways they showed up, and a date. Never a count.</summary>
    public sealed record MemberFacts(
        string MemberId, string DisplayName, CircleRole Role, bool HereNow, IReadOnlyList<ShowedUp> Marks, DateOnly? LastHeardFrom);

    /// <summary>One line per member, in exactly the order given; nothing here sorts by what people did.</summary>
    public static IReadOnlyList<MemberFacts> People(
        IReadOnlyList<CircleMember> membersInOrder, IEnumerable<CircleEvent> visible, IReadOnlyDictionary<string, DateTimeOffset> lastHeard,
        IReadOnlySet<string> present, DateTimeOffset periodStart, TimeZoneInfo zone)
    {
        var ways = visible.Where(e => e.At >= periodStart)
            .Where(e => Ways.ContainsKey(e.Type))
            .ToLookup(e => e.MemberId, e => Ways[e.Type]);
        return membersInOrder.Select(m => new MemberFacts(m.MemberId, m.DisplayName, m.Role, present.Contains(m.MemberId),
                ways[m.MemberId].Distinct().Order().ToList(),
                lastHeard.TryGetValue(m.MemberId, out var at) ? DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, zone).DateTime) : null))
            .ToList();
    }

    /// <summary>Keeps the latest instant per author as new entries arrive live.</summary>
    public static void NoteHeardFrom(IDictionary<string, DateTimeOffset> lastHeard, CircleEvent e)
    {
        if (!HeardFromTypes.Contains(e.Type)) return;
        if (!lastHeard.TryGetValue(e.MemberId, out var known) || e.At > known) lastHeard[e.MemberId] = e.At;
    }

    // ---- The live round -----------------------------------------------------------------------------------------

    public enum AnswerKind { NotYet, Answered, Passed }

    /// <summary>Where one member is in the open round. "Not yet" is only that: there is time, and passing is an answer.</summary>
    public sealed record RoundLine(string MemberId, string DisplayName, AnswerKind Kind, string? Capacity, string? Text);

    public static IReadOnlyList<RoundLine> Round(IReadOnlyList<CircleMember> membersInOrder, IEnumerable<CircleEvent> visible, Guid roundId)
    {
        var answers = visible.Where(e => e.Type == EventTypes.RoundAnswered && e.Id("roundId") == roundId)
            .GroupBy(e => e.MemberId).ToDictionary(g => g.Key, g => g.Last());
        return membersInOrder.Select(m => answers.TryGetValue(m.MemberId, out var a)
                ? a.Flag("pass")
                    ? new RoundLine(m.MemberId, m.DisplayName, AnswerKind.Passed, null, null)
                    : new RoundLine(m.MemberId, m.DisplayName, AnswerKind.Answered, a.Text("capacity"), a.Text("text"))
                : new RoundLine(m.MemberId, m.DisplayName, AnswerKind.NotYet, null, null))
            .ToList();
    }

    /// <summary>
    /// What the last round that ended leaves the facilitator: its prompt and how many answered, passed or had not yet
    /// answered when it ended. Like every aggregate, a count is given only when it stands for at least
    /// <see cref="GroupAggregates.MinimumGroupSize"/> people (null otherwise: "fewer than three").
    /// </summary>
    public sealed record RoundSummary(string? Prompt, DateTimeOffset EndedAt, int? Answered, int? Passed, int? StillOpen);

    public static RoundSummary? LastRound(IReadOnlyList<CircleMember> members, IEnumerable<CircleEvent> visible)
    {
        var list = visible.ToList();
        if (list.LastOrDefault(e => e.Type == EventTypes.RoundEnded) is not { } ended || ended.Id("roundId") is not { } roundId)
            return null;
        var lines = Round(members, list.Where(e => e.Seq < ended.Seq), roundId);
        int? Count(AnswerKind kind) => lines.Count(l => l.Kind == kind) is var n && n >= GroupAggregates.MinimumGroupSize ? n : null;
        return new RoundSummary(ended.Text("prompt"), ended.At, Count(AnswerKind.Answered), Count(AnswerKind.Passed), Count(AnswerKind.NotYet));
    }

    // ---- Bring back to the room, and alerts ---------------------------------------------------------------------

    /// <summary>An entry and, once handled, who handled it and when.</summary>
    public sealed record Handled(CircleEvent Entry, CircleEvent? By);

    /// <summary>
    /// Items brought to the session, for the whole circle or for the facilitators (their entry says which), oldest
    /// first: the opening agenda. The caller passes shared entries only, so a private item never shows.
    /// </summary>
    public static IReadOnlyList<Handled> Agenda(IEnumerable<CircleEvent> visible)
    {
        var list = visible.ToList();
        var discussed = FirstByTarget(list, EventTypes.AgendaItemDiscussed);
        return list.Where(e => e.Type == EventTypes.BroughtToSession && e.Visibility is Visibility.Circle or Visibility.Facilitators)
            .Select(e => new Handled(e, discussed.GetValueOrDefault(e.EventId))).ToList();
    }

    /// <summary>
    /// Support requests with their notes, acknowledgements and withdrawal, oldest first. Nothing else is an alert on
    /// the dashboard, so that a request stands out: things brought for the facilitators are on the agenda.
    /// </summary>
    public static IReadOnlyList<SupportThread> Alerts(IEnumerable<CircleEvent> visible) => SupportThread.From(visible);

    private static Dictionary<Guid, CircleEvent> FirstByTarget(IEnumerable<CircleEvent> events, string type) =>
        events.Where(e => e.Type == type && e.Id("targetEventId") is not null)
            .GroupBy(e => e.Id("targetEventId")!.Value)
            .ToDictionary(g => g.Key, g => g.First());

    // ---- Group views --------------------------------------------------------------------------------------------

    /// <summary>A capacity on one weekday and how many people it stands for (always at least the minimum group).</summary>
    public sealed record CapacitySlice(string Capacity, int People);

    /// <summary>
    /// One weekday of the capacity chart. Hidden when fewer than the minimum group checked in on it. Within a shown
    /// day, each capacity stands alone only with enough people; the rest are pooled as <see cref="Other"/> when the
    /// pool is large enough, and otherwise left out (<see cref="SomeLeftOut"/>).
    /// </summary>
    public sealed record WeekdaySpread(DayOfWeek Day, bool Shown, IReadOnlyList<CapacitySlice> Levels, int Other, bool SomeLeftOut);

    public static readonly IReadOnlyList<DayOfWeek> Week =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public static IReadOnlyList<WeekdaySpread> CapacityOverWeek(IEnumerable<CircleEvent> visible, DateTimeOffset from, TimeZoneInfo zone)
    {
        var checkIns = CheckIns(visible, from)
            .Select(c => (c.MemberId, c.Capacity, Day: TimeZoneInfo.ConvertTime(c.At, zone).DayOfWeek))
            .ToList();
        return Week.Select(day =>
        {
            var onDay = checkIns.Where(c => c.Day == day).ToList();
            if (onDay.Select(c => c.MemberId).Distinct().Count() < GroupAggregates.MinimumGroupSize)
                return new WeekdaySpread(day, false, [], 0, false);
            var byLevel = Capacity.All
                .Select(level => (Level: level, People: onDay.Where(c => c.Capacity == level).Select(c => c.MemberId).ToHashSet()))
                .Where(l => l.People.Count > 0)
                .ToList();
            var shown = byLevel.Where(l => l.People.Count >= GroupAggregates.MinimumGroupSize).ToList();
            var pooled = byLevel.Except(shown).SelectMany(l => l.People).ToHashSet();
            var other = pooled.Count >= GroupAggregates.MinimumGroupSize ? pooled.Count : 0;
            return new WeekdaySpread(day, true, shown.Select(l => new CapacitySlice(l.Level, l.People.Count)).ToList(), other,
                pooled.Count > 0 && other == 0);
        }).ToList();
    }

    /// <summary>A recurring feeling word and a gentle size (1 to 3); only words that enough different people used.</summary>
    public sealed record Theme(string Word, int Size);

    public const int MaxThemes = 12;

    public static IReadOnlyList<Theme> Themes(IEnumerable<CircleEvent> visible, DateTimeOffset from)
    {
        var words = CheckIns(visible, from)
            .SelectMany(c => c.Feelings.Select(f => (Word: f.Trim(), c.MemberId)))
            .Where(w => w.Word.Length > 0)
            .GroupBy(w => w.Word.ToLowerInvariant())
            .Select(g => (Word: g.First().Word, People: g.Select(w => w.MemberId).Distinct().Count()))
            .Where(w => w.People >= GroupAggregates.MinimumGroupSize)
            .OrderByDescending(w => w.People).ThenBy(w => w.Word, StringComparer.CurrentCultureIgnoreCase)
            .Take(MaxThemes)
            .ToList();
        if (words.Count == 0) return [];
        var most = words[0].People;
        return words.Select(w => new Theme(w.Word, w.People * 3 >= most * 2 ? 3 : w.People * 3 >= most ? 2 : 1)).ToList();
    }

    private sealed record CheckIn(string MemberId, DateTimeOffset At, string Capacity, IReadOnlyList<string> Feelings);

    private static IEnumerable<CheckIn> CheckIns(IEnumerable<CircleEvent> visible, DateTimeOffset from)
    {
        foreach (var e in visible)
        {
            if (e.Type != EventTypes.CheckIn || e.At < from) continue;
            using var doc = TryParse(e.PayloadJson);
            if (doc?.RootElement is not { ValueKind: JsonValueKind.Object } root
                || !root.TryGetProperty("capacity", out var cap) || cap.ValueKind != JsonValueKind.String
                || cap.GetString() is not { } capacity || !Capacity.IsValid(capacity))
                continue;
            var feelings = root.TryGetProperty("feelings", out var f) && f.ValueKind == JsonValueKind.Array
                ? f.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList()
                : [];
            yield return new CheckIn(e.MemberId, e.At, capacity, feelings);
        }
    }

    private static JsonDocument? TryParse(string json)
    {
        try { return JsonDocument.Parse(json); }
        catch (JsonException) { return null; }
    }
}
