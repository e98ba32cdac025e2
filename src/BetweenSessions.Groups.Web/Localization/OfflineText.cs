using System.Collections;
using System.Globalization;
using System.Resources;

namespace BetweenSessions.Groups.Web.Localization;

/// <summary>The offline page's words (wwwroot/offline.html), from resources, for every language the app speaks.</summary>
internal static class OfflineText
{
    private static readonly ResourceManager Resources =
        new("BetweenSessions.Groups.Web.Resources.Localization.OfflineText", typeof(OfflineText).Assembly);

    /// <summary>Language ("en", "es") to key to words.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> All()
    {
        var keys = Resources.GetResourceSet(CultureInfo.InvariantCulture, createIfNotExists: true, tryParents: true)!
            .Cast<DictionaryEntry>().Select(entry => (string)entry.Key).ToList();
        return LocalizationExtensions.Supported.ToDictionary(culture => culture.Name,
            culture => (IReadOnlyDictionary<string, string>)keys.ToDictionary(key => key, key => Resources.GetString(key, culture) ?? key));
    }
}
