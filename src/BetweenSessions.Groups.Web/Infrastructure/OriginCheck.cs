using BetweenSessions.Groups.Web.Realtime;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Infrastructure;

/// <summary>
/// Refuses browser requests that act as the signed-in person when they come from a page on another origin. The
/// sign-in cookie goes with every request a browser sends to this host, whichever site's page sends it, so without
/// this any site a member visits could act as them: open the hub or a Blazor circuit (CORS protects negotiate, not a
/// WebSocket upgrade), or post to the REST API with a form or a text/plain fetch that needs no preflight (leave a
/// circle, say). Guarded: everything under /hubs and /_blazor, and every write to /api that is not carried by a bearer
/// token, which a foreign page cannot hold. Allowed: the app's own origin, Realtime:AllowedOrigins, and no Origin at
/// all (clients that are not browsers; browsers send one on every cross-origin write) unless the browser's Fetch
/// Metadata says the request came from another site.
/// </summary>
internal sealed class OriginCheck(RequestDelegate next, IOptionsMonitor<RealtimeOptions> options)
{
    public async Task InvokeAsync(HttpContext context)
    {
        var request = context.Request;
        var origin = request.Headers.Origin.ToString();
        if (!Guarded(request) || (origin.Length == 0 ? !FromAnotherSite(request) : IsAllowed(origin, request)))
        {
            await next(context);
            return;
        }
        await TypedResults.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Origin not allowed.",
            detail: "Requests that act as a signed-in person are accepted from the app's own pages and configured origins " +
                    "(Realtime:AllowedOrigins) only. API clients elsewhere send a bearer token.")
            .ExecuteAsync(context);
    }

    private static bool Guarded(HttpRequest request) =>
        request.Path.StartsWithSegments("/hubs") || request.Path.StartsWithSegments("/_blazor")
        || (request.Path.StartsWithSegments("/api") && !IsReadOnly(request.Method) && !HasBearerToken(request));

    /// <summary>Without an Origin, a browser that sends Fetch Metadata still says where the request came from.</summary>
    private static bool FromAnotherSite(HttpRequest request) =>
        request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site";

    private static bool IsReadOnly(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) || HttpMethods.IsOptions(method);

    private static bool HasBearerToken(HttpRequest request) =>
        request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase);

    private bool IsAllowed(string origin, HttpRequest request) =>
        string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase)
        || options.CurrentValue.AllowedOrigins.Any(allowed => string.Equals(origin, allowed.TrimEnd('/'), StringComparison.OrdinalIgnoreCase));
}
