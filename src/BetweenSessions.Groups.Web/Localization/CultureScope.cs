using System.Globalization;

namespace BetweenSessions.Groups.Web.Localization;

/// <summary>
/// Words for someone who is not asking through a browser (an email, a push): sets the current culture and UI culture
/// to theirs until disposed, so resources and formatting speak their language, then puts back what was there.
/// </summary>
public readonly struct CultureScope : IDisposable
{
    private readonly CultureInfo _culture, _uiCulture;

    private CultureScope(CultureInfo culture)
    {
        _culture = CultureInfo.CurrentCulture;
        _uiCulture = CultureInfo.CurrentUICulture;
        CultureInfo.CurrentCulture = culture;
        CultureInfo.CurrentUICulture = culture;
    }

    public static CultureScope Use(CultureInfo culture) => new(culture);

    public void Dispose()
    {
        CultureInfo.CurrentCulture = _culture;
        CultureInfo.CurrentUICulture = _uiCulture;
    }
}
