using System.Globalization;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Settings;

/// <summary>
/// How a person wants gentle nudges to reach them, for all their circles. QuietFrom/QuietTo are "HH:mm" in their own
/// time zone (an IANA id), both set or both null; a span may cross midnight (22:00 to 07:00). Saved is false until
/// they first save, so a page can offer the browser's time zone instead of UTC. EmailNudges: also send each delivered
/// nudge by email to their account address (off unless they opt in; the app list always has it).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MemberSettings(
    bool LighterWeek = false,
    string? QuietFrom = null,
    string? QuietTo = null,
    string TimeZoneId = "UTC",
    bool PauseAllNudges = false,
    bool Saved = false,
    bool EmailNudges = false)
{
    public static readonly MemberSettings Default = new();

    /// <summary>The settings as they will be stored; throws <see cref="DomainValidationException"/> naming each wrong field.</summary>
    public MemberSettings Validate()
    {
        var errors = new Dictionary<string, string[]>();
        var from = ParseTime(QuietFrom, "quietFrom", errors);
        var to = ParseTime(QuietTo, "quietTo", errors);
        if (!errors.ContainsKey("quietFrom") && !errors.ContainsKey("quietTo") && (from is null) != (to is null))
            errors[from is null ? "quietFrom" : "quietTo"] = ["Quiet hours need both a start and an end time."];
        else if (from is not null && from == to)
            errors["quietTo"] = ["Quiet hours need an end time that differs from the start."];
        var zone = (TimeZoneId ?? "").Trim();
        if (!IsKnownTimeZone(zone)) errors["timeZoneId"] = ["Choose a time zone from the list."];
        if (errors.Count > 0) throw new DomainValidationException(errors);
        return this with
        {
            QuietFrom = from?.ToString("HH:mm", CultureInfo.InvariantCulture),
            QuietTo = to?.ToString("HH:mm", CultureInfo.InvariantCulture),
            TimeZoneId = zone,
            Saved = true,
        };
    }

    /// <summary>The IANA ids a person can choose from, sorted; always includes UTC.</summary>
    public static IReadOnlyList<string> TimeZoneIds { get; } = TimeZoneInfo.GetSystemTimeZones()
        .Select(z => z.HasIanaId ? z.Id : TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : null)
        .OfType<string>().Append("UTC").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

    public static bool IsKnownTimeZone(string? id) =>
        !string.IsNullOrWhiteSpace(id) && (TimeZoneIdSet.Contains(id) || TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) && zone.HasIanaId);

    private static readonly HashSet<string> TimeZoneIdSet = new(TimeZoneIds, StringComparer.Ordinal);

    private static TimeOnly? ParseTime(string? text, string field, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(text)) return null;
        if (TimeOnly.TryParseExact(text.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            return time;
        errors[field] = ["Use a time like 21:30."];
        return null;
    }
}

/// <summary>One person's settings, keyed by their Identity user id: the same for every circle they are in.</summary>
public interface IMemberSettingsGrain : IGrainWithStringKey
{
    Task<MemberSettings> GetAsync();

    /// <summary>Validates and stores; returns what was stored.</summary>
    Task<MemberSettings> SaveAsync(MemberSettings settings);

    /// <summary>Turns email nudges on or off and nothing else (the one-click stop link has no other settings to send).</summary>
    Task SetEmailNudgesAsync(bool on);
}
