using Microsoft.JSInterop;

namespace BetweenSessions.Groups.Web.Components;

/// <summary>
/// Whose clock the pages read times by (the feed's times, "My patterns" weekdays and times of day). A check-in at 19:00
/// in Auckland is an evening for the person who wrote it, whatever the server's clock says: the member's own time
/// zone from their settings comes first, then the one their browser reports, and only when neither is known UTC.
/// "My patterns" says which one it used.
/// </summary>
public static class MemberTimeZone
{
    public enum Source
    {
        /// <summary>The time zone the member saved in their settings.</summary>
        Settings,

        /// <summary>They never saved one; their browser's.</summary>
        Browser,

        /// <summary>Neither is known.</summary>
        Fallback,
    }

    public sealed record Choice(TimeZoneInfo Zone, string Id, Source From)
    {
        /// <summary>
        /// The zone in words and where it came from, in English: for logs and tests. What a person reads is worded
        /// per language from the same parts (Id, From) by My patterns' resources (ZoneSettings, ZoneBrowser, ZoneFallback).
        /// </summary>
        public string Description => From switch
        {
            Source.Settings => $"Days and times of day here are in {InWords(Id)}, the time zone in your settings.",
            Source.Browser => $"Days and times of day here are in {InWords(Id)}, the time zone of this device, as you have not chosen one in your settings.",
            _ => $"Days and times of day here are in {InWords(Id)}, as this device did not tell us its time zone and you have not chosen one in your settings.",
        };
    }

    /// <summary>The member's saved zone if they saved settings, else the browser's if it is one we know, else UTC.</summary>
    public static Choice Choose(MemberSettings settings, string? browserZoneId)
    {
        if (settings.Saved && Find(settings.TimeZoneId) is { } own) return new Choice(own, settings.TimeZoneId, Source.Settings);
        if (MemberSettings.IsKnownTimeZone(browserZoneId) && Find(browserZoneId!) is { } browser)
            return new Choice(browser, browserZoneId!, Source.Browser);
        return new Choice(TimeZoneInfo.Utc, "UTC", Source.Fallback);
    }

    /// <summary>
    /// The member's zone for an interactive page: their settings, else their browser's (asked only when needed),
    /// else UTC. The browser cannot answer during prerendering; interactive pages call this once the circuit is up.
    /// </summary>
    public static async Task<Choice> ResolveAsync(IGrainFactory grains, IJSRuntime js, string memberId, ILogger logger)
    {
        var settings = await grains.GetGrain<IMemberSettingsGrain>(memberId).GetAsync();
        string? browserZone = null;
        if (!settings.Saved)
        {
            try { browserZone = await js.InvokeAsync<string?>("bsg.timeZone"); }
            catch (Exception ex) when (ex is JSException or JSDisconnectedException or TaskCanceledException or InvalidOperationException)
            {
                logger.LogDebug(ex, "Could not read the browser's time zone; using UTC");
            }
        }
        return Choose(settings, browserZone);
    }

    /// <summary>"Auckland time (Pacific/Auckland)": the place a person recognises, then the exact id; UTC stays UTC.</summary>
    public static string InWords(string id)
    {
        if (id is "UTC" or "Etc/UTC") return "UTC (Coordinated Universal Time)";
        var slash = id.LastIndexOf('/');
        if (slash < 0 || id.StartsWith("Etc/", StringComparison.Ordinal)) return $"the {id} time zone";
        return $"{id[(slash + 1)..].Replace('_', ' ')} time ({id})";
    }

    private static TimeZoneInfo? Find(string id) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(id, out var zone) ? zone : null;
}
