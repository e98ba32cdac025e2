using Microsoft.Extensions.Localization;

namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>
/// A nudge's words in the reader's language (the current UI culture: the page's, or a <see cref="Localization.CultureScope"/>
/// for an email or a push), from Resources/Nudges/NudgeWords.resx: "{Kind}Title" and "{Kind}Text", filled with the
/// nudge's <see cref="Notification.Args"/>. A nudge offered without arguments, or of a kind with no words here, keeps
/// the English words it was offered with.
/// </summary>
public sealed class NudgeWords
{
    private NudgeWords() { }

    /// <summary>How many arguments each known kind's words take.</summary>
    internal static readonly IReadOnlyDictionary<string, int> Kinds = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        [NudgeKinds.Reflect] = 1,
        [NudgeKinds.Cue] = 2,
        [NudgeKinds.Support] = 1,
        [NudgeKinds.Brought] = 0,
        [NudgeKinds.Measure] = 1,
    };
}

public static class NudgeWordsExtensions
{
    public static string Title(this IStringLocalizer<NudgeWords> words, Notification nudge) =>
        Word(words, nudge.Kind, nudge.Args, "Title") ?? nudge.Title;

    public static string Text(this IStringLocalizer<NudgeWords> words, Notification nudge) =>
        Word(words, nudge.Kind, nudge.Args, "Text") ?? nudge.Text;

    private static string? Word(IStringLocalizer<NudgeWords> words, string kind, string[]? args, string part)
    {
        if (args is null || !NudgeWords.Kinds.TryGetValue(kind, out var needed) || args.Length < needed) return null;
        var found = words[$"{char.ToUpperInvariant(kind[0])}{kind[1..]}{part}", args.Cast<object>().ToArray()];
        return found.ResourceNotFound ? null : found.Value;
    }
}
