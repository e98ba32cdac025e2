namespace BetweenSessions.Groups.Web.Infrastructure;

internal static class SecurityExtensions
{
    public static IHostApplicationBuilder AddGroupsSecurity(this IHostApplicationBuilder builder)
    {
        // Which server and version answers is nobody's business but ours.
        builder.Services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(options => options.AddServerHeader = false);
        return builder;
    }

    /// <summary>Headers on every response, then <see cref="OriginCheck"/>; early, so refusals and errors carry them too.</summary>
    public static WebApplication UseGroupsSecurity(this WebApplication app)
    {
        app.Use((context, next) =>
        {
            var headers = context.Response.Headers;
            // A response is what its Content-Type says: an upload or a stored text is never run as script.
            headers.XContentTypeOptions = "nosniff";
            // Addresses hold circle ids; other sites are not told which page someone came from.
            headers["Referrer-Policy"] = "same-origin";
            // No other site may frame these pages and trick a click (leave, send, remove) through them.
            // The installed app's manifest and service worker are this site's own, never another's.
            headers.ContentSecurityPolicy = "frame-ancestors 'none'; manifest-src 'self'; worker-src 'self'";
            headers.XFrameOptions = "DENY";
            return next(context);
        });
        app.UseMiddleware<OriginCheck>();
        return app;
    }
}
