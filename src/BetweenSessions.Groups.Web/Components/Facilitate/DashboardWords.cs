using System.Globalization;
using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Localization;

namespace BetweenSessions.Groups.Web.Components.Facilitate;

/// <summary>
/// The dashboard's own words for what <see cref="Dashboard"/> computes (periods, the ways someone showed up, weekdays,
/// capacities), from Resources/Components/Facilitate/DashboardWords.resx in the reader's language. A component injects
/// <c>IStringLocalizer&lt;DashboardWords&gt;</c> and calls these on it.
/// </summary>
public sealed class DashboardWords
{
    private DashboardWords() { }
}

public static class DashboardWordsExtensions
{
    /// <summary>"this week", inside a sentence.</summary>
    public static string Describe(this IStringLocalizer<DashboardWords> words, Period period) => words[$"Describe{period}"];

    /// <summary>"This week", as an option.</summary>
    public static string Label(this IStringLocalizer<DashboardWords> words, Period period) => words[$"Label{period}"];

    /// <summary>A quiet mark for one way a person showed up.</summary>
    public static string Mark(this IStringLocalizer<DashboardWords> words, Dashboard.ShowedUp way) => words[$"Mark{way}"];

    /// <summary>"Mondays": the weekday in the reader's language, for a spread over the week.</summary>
    public static string Weekdays(this IStringLocalizer<DashboardWords> words, DayOfWeek day) => words[$"Weekdays{day}"];

    /// <summary>The weekday's name ("Monday", "lunes"), as an option.</summary>
    public static string Weekday(this IStringLocalizer<DashboardWords> words, DayOfWeek day) => words[$"Day{day}"];

    /// <summary>The weekday's short name in the current culture ("Mon", "lun").</summary>
    public static string ShortWeekday(DayOfWeek day) => CultureInfo.CurrentCulture.DateTimeFormat.GetAbbreviatedDayName(day);

    /// <summary>A capacity answer, in words that never grade it.</summary>
    public static string Capacity(this IStringLocalizer<DashboardWords> words, string capacity) =>
        Domain.Capacity.IsValid(capacity) ? words[$"Capacity{char.ToUpperInvariant(capacity[0])}{capacity[1..]}"] : capacity;

    /// <summary>"Thu 27 Nov, 19:00" in the reader's culture: a session or a moment, short and unambiguous.</summary>
    public static string Moment(DateTimeOffset local) => local.ToString("ddd d MMM, HH:mm", CultureInfo.CurrentCulture);

    /// <summary>"Thu 27 Nov" in the reader's culture.</summary>
    public static string Day(DateTimeOffset local) => local.ToString("ddd d MMM", CultureInfo.CurrentCulture);
}
