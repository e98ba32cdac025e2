using System.Net;
using BetweenSessions.Groups.Grains.Nudges;
using System.Globalization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>Email nudges: the SMTP sender, and the one-click stop link (GET /nudges/stop confirms, POST stops).</summary>
internal static class NudgeEmailExtensions
{
    public static WebApplicationBuilder AddGroupsNudgeEmail(this WebApplicationBuilder builder)
    {
        var section = builder.Configuration.GetSection("Email:Smtp");
        builder.Services.AddOptions<NudgeEmailOptions>()
            .Bind(section)
            .PostConfigure(o => o.PublicUrl ??= builder.Configuration["Email:PublicUrl"])
            // Every email carries a stop link; sent with a wrong base address, that link would not stop anything.
            // So a deployment that turns email on without saying where people reach the app does not start.
            .Validate(o => !o.Enabled || IsPublicUrl(o.PublicUrl),
                "Email:Smtp:Host is set, so Email:PublicUrl must be where people reach the app (an absolute http or https " +
                "address, such as https://circles.example.org): every email's stop link starts with it.")
            .ValidateOnStart();
        builder.Services.AddSingleton<NudgeStopTokens>();
        var enabled = !string.IsNullOrWhiteSpace(section["Host"]);
        builder.Services.AddSingleton(new NudgeEmailChannel { Enabled = enabled });
        if (enabled) builder.Services.AddHostedService<NudgeEmailSender>();
        return builder;
    }

    private static bool IsPublicUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    public static IEndpointRouteBuilder MapNudgeEmailStop(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("nudges/stop", (string? token, HttpRequest request, NudgeStopTokens tokens, IStringLocalizer<NudgeStopPage> words) =>
            tokens.Read(token) is null
                ? NotValid(request, words)
                : Page(words["AskTitle"], $"""
                    <p>{WebUtility.HtmlEncode(words["AskText"])}</p>
                    <form method="post" action="nudges/stop">
                      <input type="hidden" name="token" value="{WebUtility.HtmlEncode(token)}">
                      <button type="submit">{WebUtility.HtmlEncode(words["AskButton"])}</button>
                    </form>
                    """));

        // No antiforgery: the token is the permission, and mail apps' one-click POST (RFC 8058) carries no cookie.
        endpoints.MapPost("nudges/stop", async ([FromQuery(Name = "token")] string? queryToken, HttpRequest request,
                NudgeStopTokens tokens, IGrainFactory grains, IStringLocalizer<NudgeStopPage> words) =>
            {
                var token = queryToken;
                if (token is null && request.HasFormContentType) token = (await request.ReadFormAsync()).TryGetValue("token", out var t) ? t.ToString() : null;
                if (tokens.Read(token) is not { } memberId) return NotValid(request, words);
                await grains.GetGrain<IMemberSettingsGrain>(memberId).SetEmailNudgesAsync(false);
                return Page(words["DoneTitle"], $"""
                    <p role="status">{WebUtility.HtmlEncode(words["DoneText"])}</p>
                    """);
            })
            .DisableAntiforgery();
        return endpoints;
    }

    /// <summary>Forged, damaged or expired: ProblemDetails for programs, a calm page for browsers, and nothing changed.</summary>
    private static IResult NotValid(HttpRequest request, IStringLocalizer<NudgeStopPage> words) =>
        !request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase)
        ? Results.Problem(title: words["NotValidTitle"], detail: words["NotValidDetail"], statusCode: StatusCodes.Status400BadRequest)
        : Page(words["NotValidTitle"], $"""
        <p>{WebUtility.HtmlEncode(words["NotValidDetail"])}</p>
        <p><a href="settings">{WebUtility.HtmlEncode(words["OpenSettings"])}</a></p>
        """, StatusCodes.Status400BadRequest);

    private static IResult Page(string title, string body, int status = StatusCodes.Status200OK) => Results.Content($"""
        <!DOCTYPE html>
        <html lang="{CultureInfo.CurrentUICulture.TwoLetterISOLanguageName}">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><base href="/">
        <title>{WebUtility.HtmlEncode(title)}</title><link rel="stylesheet" href="app.css"></head>
        <body><main class="stop-page"><h1>{WebUtility.HtmlEncode(title)}</h1>
        {body}
        </main></body></html>
        """, "text/html; charset=utf-8", statusCode: status);
}
