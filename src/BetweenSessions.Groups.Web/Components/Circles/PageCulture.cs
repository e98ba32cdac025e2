using System.Globalization;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>
/// The culture a page was opened in, to render in it when an update arrives from elsewhere. A circle's live events and
/// presence come on Orleans and SignalR threads, whose culture is not the person's; the culture flows with the
/// ExecutionContext into InvokeAsync, so without this a Spanish page re-rendered by a live entry would show English
/// words and English day names. Capture it where the circuit's culture holds (OnInitialized) and run the callback in it.
/// </summary>
public readonly record struct PageCulture(CultureInfo Culture, CultureInfo UICulture)
{
    /// <summary>The culture of the code running now: call it from the component's own lifecycle.</summary>
    public static PageCulture Current => new(CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);

    /// <summary>Runs <paramref name="action"/> (and the renders it triggers) in this culture, then restores the thread's.</summary>
    public void Run(Action action)
    {
        var (culture, uiCulture) = (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture);
        Apply();
        try { action(); }
        finally { (CultureInfo.CurrentCulture, CultureInfo.CurrentUICulture) = (culture, uiCulture); }
    }

    /// <summary>
    /// Sets this culture for the rest of the calling async method: an async method's changes to the culture stay
    /// within it (its awaits continue in it) and do not reach its caller.
    /// </summary>
    public void Apply()
    {
        if (Culture is null) return;
        CultureInfo.CurrentCulture = Culture;
        CultureInfo.CurrentUICulture = UICulture;
    }
}
