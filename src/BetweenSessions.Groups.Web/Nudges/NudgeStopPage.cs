namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>
/// The words of the one-click stop page (GET and POST /nudges/stop), from Resources/Nudges/NudgeStopPage.resx in the
/// request's language: the person's chosen one when they are signed in on that browser, else what the browser asks.
/// </summary>
internal sealed class NudgeStopPage
{
    private NudgeStopPage() { }
}
