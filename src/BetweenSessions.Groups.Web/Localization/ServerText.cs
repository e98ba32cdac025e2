using System.Globalization;
using System.Resources;

namespace BetweenSessions.Groups.Web.Localization;

/// <summary>
/// What the server itself says to a client, outside any page: hub refusals (the HubException text a phone app shows),
/// ProblemDetails titles, the refusals of the account and push endpoints. In the current UI culture, which the request
/// (or, for the hub, <see cref="HubCulture"/>) has set to the person's language. Static, as the refusals are said from
/// static places (filters, validation) as well as from pages.
/// </summary>
public static class ServerText
{
    private static readonly ResourceManager Resources =
        new("BetweenSessions.Groups.Web.Resources.Localization.ServerText", typeof(ServerText).Assembly);

    public static string Get(string key) => Resources.GetString(key, CultureInfo.CurrentUICulture) ?? key;

    public static string Format(string key, params object?[] args) => string.Format(CultureInfo.CurrentCulture, Get(key), args);
}
