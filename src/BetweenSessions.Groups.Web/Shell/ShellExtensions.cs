using System.Text.Json;
using BetweenSessions.Groups.Web.Localization;
using BetweenSessions.Groups.Web.Realtime;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Shell;

/// <summary>
/// The installable app shell: wwwroot holds the manifest, icons and offline page; /sw.js is served from here so each
/// release's service worker names its own cache (<see cref="ShellRelease"/>).
/// </summary>
internal static class ShellExtensions
{
    public static IServiceCollection AddGroupsShell(this IServiceCollection services) =>
        services.AddSingleton(provider => ShellRelease.Of(provider.GetRequiredService<IWebHostEnvironment>()));

    public static WebApplication MapGroupsShell(this WebApplication app)
    {
        // Written once: the release is known at start and the same until the next one.
        var script = Write(ReadTemplate(), app.Services.GetRequiredService<ShellRelease>());
        // Anyone may fetch it: the browser asks for it on every page, signed in or not, and it holds nothing personal.
        app.MapGet("/sw.js", (HttpContext context) =>
            {
                // Revalidated on every update check, so a new release is noticed at the next page load. The worker
                // controls the whole origin from the root, so it needs no Service-Worker-Allowed header.
                context.Response.Headers.CacheControl = "no-cache";
                return Results.Text(script, "text/javascript; charset=utf-8");
            })
            .AllowAnonymous()
            .ExcludeFromDescription();
        // The offline page lists them, so a person who needs support reaches it with no connection to the app: the
        // deployment's own (Support:CrisisResources), public by nature and the same for everybody, never a circle's.
        app.MapGet("/offline/crisis-resources.json", (IOptions<SupportOptions> support) =>
                Results.Json(support.Value.CrisisResources.Select(r => new { r.Name, r.Phone, r.Text, r.Url, r.Language })))
            .AllowAnonymous()
            .ExcludeFromDescription();
        // The offline page's words in every language at once: the page is kept on the phone and may be shown when the
        // person's language can no longer be asked for.
        var words = OfflineText.All();
        app.MapGet("/offline/words.json", () => Results.Json(words))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }

    /// <summary>Fetched while the worker installs, beside the offline page: what every page loads (App.razor).</summary>
    private static IEnumerable<string> AppShell()
    {
        yield return "/app.css";
        yield return "/facilitate.css";
        yield return "/app.js";
        yield return "/passkeys.js";
        yield return "/install.js";
        yield return "/push.js";
        yield return "/manifest.webmanifest";
        yield return "/icons/icon-192.png";
        yield return "/icons/icon-512.png";
        yield return "/icons/icon-maskable-512.png";
        yield return "/icons/apple-touch-icon.png";
        yield return "/_framework/blazor.web.js";
        // As RadzenTheme and App.razor write them, with the same version query.
        var radzen = typeof(Radzen.Colors).Assembly.GetName().Version;
        yield return $"/_content/Radzen.Blazor/Radzen.Blazor.js?v={radzen}";
        yield return $"/_content/Radzen.Blazor/css/material-base.css?v={radzen}";
        yield return "/_content/Radzen.Blazor/fonts/MaterialSymbolsOutlined.woff2";
    }

    private static string Write(string template, ShellRelease release) => template
        .Replace("%RELEASE%", release.Name, StringComparison.Ordinal)
        .Replace("%APP_SHELL%", JsonSerializer.Serialize(AppShell()), StringComparison.Ordinal);

    private static string ReadTemplate()
    {
        using var stream = typeof(ShellExtensions).Assembly.GetManifestResourceStream("BetweenSessions.Groups.Web.Shell.sw.js")
            ?? throw new InvalidOperationException("The service worker template Shell/sw.js is not embedded in the assembly.");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
