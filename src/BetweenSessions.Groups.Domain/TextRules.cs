namespace BetweenSessions.Groups.Domain;

/// <summary>
/// Which characters a person's writing may hold. What they type is shown on everyone else's screen, so characters
/// that are not writing are refused rather than stored: control characters (NUL, escape, which also bloat the stored
/// JSON) and the invisible marks that turn the text after them around (bidi embeddings, overrides and isolates: one
/// U+202E in a name or a note reverses what follows on each reader's screen). Names also refuse direction marks and
/// zero-width characters, so one person cannot take a name that looks like another's.
/// </summary>
public static class TextRules
{
    /// <summary>Line breaks and tabs are writing; nothing else in the control range, nothing that reorders.</summary>
    public static bool FitForText(string value) =>
        !value.Any(c => (char.IsControl(c) && c is not ('\n' or '\r' or '\t')) || Reorders(c));

    /// <summary>
    /// A name (of a person, a circle, a feeling word): one line, no control characters, nothing invisible. The zero-width
    /// joiner stays (emoji sequences need it), as does the non-joiner (Persian writing needs it).
    /// </summary>
    public static bool FitForName(string value) =>
        !value.Any(c => char.IsControl(c) || Reorders(c) || c is '\u200B' or '\u200E' or '\u200F' or '\u061C' or '\u2060' or '\uFEFF' or '\u00AD');

    /// <summary>The bidi embeddings and overrides (U+202A to U+202E) and isolates (U+2066 to U+2069).</summary>
    private static bool Reorders(char c) => c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';
}
