using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// The crisis resources a member of a circle sees: the circle's own when its facilitators set some, otherwise the
/// deployment's (Support:CrisisResources). The hub's RequestSupport and the circle page use this one rule: those in the
/// reader's language, then those for everybody; only when there are none of either, the ones in other languages (a
/// helpline in another language is still better than none).
/// </summary>
public sealed class CircleCrisisResources(IOptions<SupportOptions> support)
{
    public IReadOnlyList<CrisisResource> Configured => support.Value.CrisisResources;

    public IReadOnlyList<CrisisResource> For(IReadOnlyList<CrisisContact> circleOwn) =>
        InReadersLanguageFirst(circleOwn.Count == 0
            ? Configured
            : circleOwn.Select(c => new CrisisResource { Name = c.Name, Phone = c.Phone, Text = c.Text, Url = c.Url, Language = c.Language }).ToList());

    /// <summary>For the current UI culture's language: its own and the language-neutral, else all, in the order given.</summary>
    public static IReadOnlyList<CrisisResource> InReadersLanguageFirst(IReadOnlyList<CrisisResource> resources)
    {
        var reader = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var own = resources.Where(r => string.Equals(r.Language, reader, StringComparison.OrdinalIgnoreCase)).ToList();
        var forEverybody = resources.Where(r => string.IsNullOrEmpty(r.Language)).ToList();
        return own.Count + forEverybody.Count == 0 ? resources : [.. own, .. forEverybody];
    }

    /// <summary>The resources for this member of this circle (the grain checks membership).</summary>
    public async Task<IReadOnlyList<CrisisResource>> ForAsync(ICircleGrain circle, string memberId) =>
        For((await circle.GetSettingsAsync(memberId)).CrisisResources);
}
