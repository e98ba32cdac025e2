using System.Globalization;

namespace BetweenSessions.Groups.Domain;

/// <summary>
/// When a circle meets, as its facilitators set it: a rhythm (weekly, fortnightly, or chosen dates) at a wall-clock
/// time in one IANA zone, plus single sessions moved, cancelled or added. Sessions are named by the local start the
/// rhythm gave them (<see cref="SessionKey"/>), so a move or cancel still finds its session after the rule's zone or
/// the clocks change. Times are local to <see cref="TimeZone"/>: a weekly 19:00 session stays 19:00 across DST.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SessionSchedule(
    string Cadence,
    string TimeZone,
    DayOfWeek Weekday,
    TimeOnly Time,
    int DurationMinutes,
    DateOnly StartsOn,
    IReadOnlyList<DateTime> Dates,
    int ReflectWindowMinutes,
    IReadOnlyList<DateTime>? Cancelled = null,
    IReadOnlyList<SessionMove>? Moved = null,
    IReadOnlyList<DateTime>? Added = null,
    IReadOnlyList<SessionPrompt>? OpeningPrompts = null)
{
    public const string Weekly = "weekly";
    public const string Fortnightly = "fortnightly";
    public const string ChosenDates = "dates";
    public static readonly IReadOnlyList<string> Cadences = [Weekly, Fortnightly, ChosenDates];

    public const int DefaultReflectWindowMinutes = 120;

    /// <summary>The name of a session: its local start as the rhythm set it, "yyyy-MM-ddTHH:mm".</summary>
    public static string SessionKey(DateTime localStart) => localStart.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);

    public static bool TryParseLocal(string? value, out DateTime local) =>
        DateTime.TryParseExact(value?.Trim(), ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture,
            DateTimeStyles.None, out local);
}

/// <summary>The opening round prompt a facilitator chose for one session (by its key's local start).</summary>
[GenerateSerializer, Immutable]
public sealed record SessionPrompt(DateTime Session, string Prompt);

/// <summary>One session of the rhythm moved to another local start.</summary>
[GenerateSerializer, Immutable]
public sealed record SessionMove(DateTime From, DateTime To);

/// <summary>
/// Sets (or, with cadence "none", clears) the circle's rhythm. Weekly and fortnightly need a weekday and a time;
/// fortnightly counts its weeks from <paramref name="StartsOn"/> (default: the next such weekday). Chosen dates are
/// local starts "yyyy-MM-ddTHH:mm". Single-session changes made before stay in place.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record SetSessionScheduleDraft(
    string? ClientEventId,
    string? Cadence,
    string? TimeZone,
    string? Weekday = null,
    string? Time = null,
    int? DurationMinutes = null,
    string? StartsOn = null,
    IReadOnlyList<string>? Dates = null,
    int? ReflectWindowMinutes = null)
{
    public const string None = "none";

    public ValidSessionSchedule Validate(DateOnly today)
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var cadence = Cadence?.Trim().ToLowerInvariant();
        if (cadence == None)
        {
            v.ThrowIfInvalid();
            return new ValidSessionSchedule(clientEventId, null);
        }
        v.Check(cadence is not null && SessionSchedule.Cadences.Contains(cadence), "cadence",
            DomainText.Get("Schedule.Cadence"));
        var zone = TimeZone?.Trim();
        v.Check(zone is not null && zone.Length <= Limits.TimeZone && TimeZoneInfo.TryFindSystemTimeZoneById(zone, out _), "timeZone",
            DomainText.Get("Schedule.TimeZone"));
        var duration = DurationMinutes ?? 90;
        v.Check(duration is >= Limits.SessionMinutesMin and <= Limits.SessionMinutesMax, "durationMinutes",
            DomainText.Format("Schedule.Duration", Limits.SessionMinutesMin, Limits.SessionMinutesMax / 60));
        var window = ReflectWindowMinutes ?? SessionSchedule.DefaultReflectWindowMinutes;
        v.Check(window is >= Limits.ReflectWindowMinutesMin and <= Limits.ReflectWindowMinutesMax, "reflectWindowMinutes",
            DomainText.Format("Schedule.ReflectWindow", Limits.ReflectWindowMinutesMin / 60, Limits.ReflectWindowMinutesMax / 60));

        var weekday = DayOfWeek.Monday;
        var time = default(TimeOnly);
        var startsOn = today;
        var dates = new List<DateTime>();
        if (cadence is SessionSchedule.Weekly or SessionSchedule.Fortnightly)
        {
            v.Check(Enum.TryParse(Weekday?.Trim(), ignoreCase: true, out weekday) && Enum.IsDefined(weekday)
                    && !int.TryParse(Weekday, out _), "weekday", DomainText.Get("Schedule.Weekday"));
            v.Check(TimeOnly.TryParseExact(Time?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out time),
                "time", DomainText.Get("Schedule.Time"));
            if (StartsOn is not null)
                v.Check(DateOnly.TryParseExact(StartsOn.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out startsOn),
                    "startsOn", DomainText.Get("Schedule.StartsOn"));
        }
        else
        {
            var given = (Dates ?? []).Where(d => !string.IsNullOrWhiteSpace(d)).ToList();
            v.Check(given.Count is > 0 and <= Limits.SessionDates, "dates", DomainText.Format("Schedule.Dates", Limits.SessionDates));
            foreach (var d in given.Take(Limits.SessionDates))
            {
                if (SessionSchedule.TryParseLocal(d, out var local)) dates.Add(local);
                else v.Add("dates", DomainText.Get("Schedule.Date"));
            }
        }
        v.ThrowIfInvalid();
        if (cadence is SessionSchedule.Weekly or SessionSchedule.Fortnightly)
            startsOn = startsOn.AddDays(((int)weekday - (int)startsOn.DayOfWeek + 7) % 7);
        return new ValidSessionSchedule(clientEventId, new SessionSchedule(cadence!, zone!, weekday, time, duration, startsOn,
            dates.Distinct().Order().ToList(), window));
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidSessionSchedule(string? ClientEventId, SessionSchedule? Schedule) : IValidEntry;

/// <summary>
/// Moves, cancels or adds one session. <paramref name="Session"/> names an existing session by its key
/// (<see cref="SessionSchedule.SessionKey"/>); <paramref name="To"/> is the new local start for "move" and "add";
/// "prompt" chooses the session's opening round prompt (<paramref name="Prompt"/>; empty clears it).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record ChangeSessionDraft(string? ClientEventId, string? Change, string? Session = null, string? To = null, string? Prompt = null)
{
    public const string Move = "move";
    public const string Cancel = "cancel";
    public const string Add = "add";
    public const string ChoosePrompt = "prompt";
    private static readonly string[] Changes = [Move, Cancel, Add, ChoosePrompt];

    public ValidSessionChange Validate()
    {
        var v = new Validation();
        var clientEventId = v.ClientEventId(ClientEventId);
        var change = v.OneOf("change", Change?.Trim().ToLowerInvariant(), Changes, "Change", c => c);
        DateTime session = default, to = default;
        if (change is Move or Cancel or ChoosePrompt)
            v.Check(SessionSchedule.TryParseLocal(Session, out session), "session", DomainText.Get("Schedule.Session"));
        if (change is Move or Add)
            v.Check(SessionSchedule.TryParseLocal(To, out to), "to", DomainText.Get("Schedule.To"));
        var prompt = change == ChoosePrompt ? v.OptionalText("prompt", Prompt, Limits.RoundPrompt, "Prompt") : null;
        v.ThrowIfInvalid();
        return new ValidSessionChange(clientEventId, change!, change == Add ? null : session, change is Move or Add ? to : null, prompt);
    }
}

[GenerateSerializer, Immutable]
public sealed record ValidSessionChange(string? ClientEventId, string Change, DateTime? Session, DateTime? To, string? Prompt = null) : IValidEntry;
