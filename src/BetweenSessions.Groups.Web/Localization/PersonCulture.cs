using System.Globalization;
using BetweenSessions.Groups.Contracts.Settings;
using Microsoft.Extensions.Caching.Memory;

namespace BetweenSessions.Groups.Web.Localization;

/// <summary>
/// The language a person chose in Settings, for every request of theirs and for anything sent while they are away
/// (emails, push, nudges). Read from their settings grain and kept here for a minute, as each request of a signed-in
/// person asks: a save on this host forgets it at once (the device that saved reloads in the new language), and other
/// hosts of a cluster follow within the minute. A claim would be cheaper still, but would keep every other device on
/// the old language until it signed in again.
/// </summary>
public sealed class PersonCulture(IGrainFactory grains, IMemoryCache cache)
{
    private static readonly TimeSpan Keep = TimeSpan.FromMinutes(1);

    /// <summary>Their chosen language ("en", "es"), or null when they follow the browser.</summary>
    public async Task<string?> ChosenAsync(string memberId)
    {
        if (cache.TryGetValue(Key(memberId), out string? chosen)) return chosen;
        chosen = (await grains.GetGrain<IMemberSettingsGrain>(memberId).GetAsync()).Language;
        cache.Set(Key(memberId), chosen, Keep);
        return chosen;
    }

    /// <summary>The culture for words sent to them when no browser is asking: their choice, else English.</summary>
    public async Task<CultureInfo> ForAsync(string memberId) =>
        await ChosenAsync(memberId) is { } chosen ? CultureInfo.GetCultureInfo(chosen) : LocalizationExtensions.English;

    /// <summary>Saves their choice (null: follow the browser) and forgets the one kept here.</summary>
    public async Task ChooseAsync(string memberId, string? language)
    {
        await grains.GetGrain<IMemberSettingsGrain>(memberId).SetLanguageAsync(language);
        cache.Remove(Key(memberId));
    }

    private static string Key(string memberId) => $"person-culture:{memberId}";
}
