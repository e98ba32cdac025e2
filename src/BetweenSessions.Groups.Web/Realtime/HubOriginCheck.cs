using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// Refuses browser connections from pages on other origins. A cookie would otherwise let any site a member visits
/// open the hub as them: CORS protects the negotiate request, not the WebSocket upgrade. Clients that are not
/// browsers send no Origin and authenticate with a bearer token, which a foreign page cannot hold.
/// </summary>
internal sealed class HubOriginCheck(RequestDelegate next, IOptionsMonitor<RealtimeOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (origin.Length == 0 || IsAllowed(origin, request))
        {
            await next(context);
            return;
        }
        await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed.",
            detail: "This hub accepts browser connections only from the app's own pages and configured origins (Realtime:AllowedOrigins).")
            .ExecuteAsync(context);
    }

    private bool IsAllowed(string origin, HttpRequest request) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
        || options.CurrentValue.AllowedOrigins.Any(allowed => string.Equals(origin, allowed.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
