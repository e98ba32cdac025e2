using System.Globalization;
using BetweenSessions.Groups.Contracts.Nudges;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Contracts.Settings;

/// <summary>
/// How a person wants gentle nudges to reach them, for all their circles. QuietFrom/QuietTo are "HH:mm" in their own
/// time zone (an IANA id), both set or both null; a span may cross midnight (22:00 to 07:00). Saved is false until
/// they first save, so a page can offer the browser's time zone instead of UTC. EmailNudges: also send each delivered
/// nudge by email to their account address (off unless they opt in; the app list always has it). Language: "en" or "es",
/// null to follow the browser; set through <see cref="IMemberSettingsGrain.SetLanguageAsync"/>, not by Save.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record MemberSettings(
    bool LighterWeek = false,
    string? QuietFrom = null,
    string? QuietTo = null,
    string TimeZoneId = "UTC",
    bool PauseAllNudges = false,
    bool Saved = false,
    bool EmailNudges = false,
    string? Language = null)
{
    /// <summary>The languages the product is written in, English first (the default).</summary>
    public static IReadOnlyList<string> Languages => Domain.Languages.Supported;

    public static readonly MemberSettings Default = new();

    /// <summary>The settings as they will be stored; throws <see cref="DomainValidationException"/> naming each wrong field.</summary>
    public MemberSettings Validate()
    {
        var errors = new Dictionary<string, string[]>();
        var from = ParseTime(QuietFrom, "quietFrom", errors);
        var to = ParseTime(QuietTo, "quietTo", errors);
        if (!errors.ContainsKey("quietFrom") && !errors.ContainsKey("quietTo") && (from is null) != (to is null))
            errors[from is null ? "quietFrom" : "quietTo"] = [DomainText.Get("Settings.QuietBoth")];
        else if (from is not null && from == to)
            errors["quietTo"] = [DomainText.Get("Settings.QuietDiffer")];
        var zone = (TimeZoneId ?? "").Trim();
        if (!IsKnownTimeZone(zone)) errors["timeZoneId"] = [DomainText.Get("Settings.TimeZone")];
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
        errors[field] = [DomainText.Get("Settings.Time")];
        return null;
    }
}

/// <summary>One person's settings, keyed by their Identity user id: the same for every circle they are in.</summary>
public interface IMemberSettingsGrain : IGrainWithStringKey
{
    Task<MemberSettings> GetAsync();

    /// <summary>Validates and stores; returns what was stored.</summary>
    Task<MemberSettings> SaveAsync(MemberSettings settings);

    /// <summary>The language every page, email and nudge uses for this person on every device: "en", "es", or null to
    /// follow the browser. Anything else throws <see cref="DomainValidationException"/>.</summary>
    Task SetLanguageAsync(string? language);

    /// <summary>Turns email nudges on or off and nothing else (the one-click stop link has no other settings to send).</summary>
    Task SetEmailNudgesAsync(bool on);

    Task<AudienceChoices> GetAudiencesAsync();

    /// <summary>Remembers who this kind of entry starts out shared with; null asks again next time.</summary>
    Task<AudienceChoices> RememberAudienceAsync(SharedKind kind, Visibility? audience);

    /// <summary>The account is being deleted: forget every setting, as if none had been saved.</summary>
    Task ForgetAsync();

    /// <summary>Which kinds of nudge also go to this person's devices as push notifications; none until chosen.</summary>
    Task<PushChoices> GetPushAsync();

    /// <summary>Turns push for one kind of nudge (a <see cref="NudgeKinds"/> name) on or off; returns every choice.</summary>
    Task<PushChoices> SetPushAsync(string kind, bool on);
}

/// <summary>
/// Which kinds of nudge reach a person's phone as a push notification, each its own switch and off until chosen. The
/// nudge rules (pause, quiet hours, a lighter week, once per nudge) decide first: push only carries what was delivered.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record PushChoices(bool Reflect = false, bool Cue = false, bool Support = false, bool Brought = false, bool Measure = false)
{
    public static readonly PushChoices None = new();

    /// <summary>The kinds with a switch.</summary>
    public static IReadOnlyList<string> Kinds { get; } = [NudgeKinds.Reflect, NudgeKinds.Cue, NudgeKinds.Support, NudgeKinds.Brought, NudgeKinds.Measure];

    /// <summary>The kinds that only reach someone who facilitates a circle, so only they are offered a switch for them.</summary>
    public static IReadOnlySet<string> FacilitatorKinds { get; } = new HashSet<string>([NudgeKinds.Support, NudgeKinds.Brought]);

    public bool For(string kind) => kind switch
    {
        NudgeKinds.Reflect => Reflect,
        NudgeKinds.Cue => Cue,
        NudgeKinds.Support => Support,
        NudgeKinds.Brought => Brought,
        NudgeKinds.Measure => Measure,
        _ => false,
    };

    public PushChoices With(string kind, bool on) => kind switch
    {
        NudgeKinds.Reflect => this with { Reflect = on },
        NudgeKinds.Cue => this with { Cue = on },
        NudgeKinds.Support => this with { Support = on },
        NudgeKinds.Brought => this with { Brought = on },
        NudgeKinds.Measure => this with { Measure = on },
        _ => throw new DomainValidationException("kind", DomainText.Format("ChooseOneOf", string.Join(", ", Kinds))),
    };
}

/// <summary>The kinds of entry whose audience a person chooses once and is then offered again.</summary>
public enum SharedKind { CheckIn, Win, Commitment }

/// <summary>
/// Who a person's check-ins, wins and commitments start out shared with, their own choice per kind and the same on
/// every device: null until they first choose, so that nothing starts out shared more widely than they meant.
/// Reflections always start on "only me" and things to bring back on "facilitators", whatever was chosen before.
/// </summary>
[GenerateSerializer, Immutable]
public sealed record AudienceChoices(Visibility? CheckIn = null, Visibility? Win = null, Visibility? Commitment = null)
{
    public static readonly AudienceChoices None = new();

    public Visibility? For(SharedKind kind) => kind switch
    {
        SharedKind.CheckIn => CheckIn,
        SharedKind.Win => Win,
        _ => Commitment,
    };

    public AudienceChoices With(SharedKind kind, Visibility? audience) => kind switch
    {
        SharedKind.CheckIn => this with { CheckIn = audience },
        SharedKind.Win => this with { Win = audience },
        _ => this with { Commitment = audience },
    };
}
