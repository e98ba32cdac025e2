using System.Globalization;
using System.Resources;

namespace BetweenSessions.Groups.Domain;

/// <summary>
/// The words of the rules (refusals, labels, default prompts) in the current UI culture. The rules run in grains as
/// well as in the web host, so the words live here, next to them, rather than in the web project; a grain call carries
/// the caller's culture (CallerCulture in the grains project), so a refusal reads in the language of whoever was refused.
/// </summary>
public static class DomainText
{
    private static readonly ResourceManager Resources =
        new("BetweenSessions.Groups.Domain.Resources.DomainText", typeof(DomainText).Assembly);

    /// <summary>A missing key shows as itself, so the resource-file tests (and a reader) can see what is missing.</summary>
    public static string Get(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, Get(key), args);

    /// <summary>A field's name as a sentence about it says it ("The note", in Spanish "la nota").</summary>
    public static string Label(string key) => Get("Label." + key);
}
