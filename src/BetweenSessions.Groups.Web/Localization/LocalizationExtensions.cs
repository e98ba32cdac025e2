using System.Globalization;
using BetweenSessions.Groups.Contracts.Settings;
using Microsoft.AspNetCore.Localization;

namespace BetweenSessions.Groups.Web.Localization;

/// <summary>
/// Every word a person reads comes from resources: one .resx per component under Resources/, mirroring the folder of
/// the component (Resources/Components/Pages/Home.resx for Components/Pages/Home.razor) with its Spanish beside it
/// (Home.es.resx). A file per component keeps work on different pages from ever touching the same file.
/// </summary>
internal static class LocalizationExtensions
{
    public static readonly CultureInfo English = CultureInfo.GetCultureInfo("en");

    public static IReadOnlyList<CultureInfo> Supported { get; } =
        MemberSettings.Languages.Select(CultureInfo.GetCultureInfo).ToList();

    public static IServiceCollection AddGroupsLocalization(this IServiceCollection services)
    {
        services.AddLocalization(options => options.ResourcesPath = "Resources");
        services.AddMemoryCache();
        services.AddSingleton<PersonCulture>();
        services.AddScoped<CircuitCulture>();
        services.AddScoped<Microsoft.AspNetCore.Components.Server.Circuits.CircuitHandler>(provider => provider.GetRequiredService<CircuitCulture>());
        services.Configure<RequestLocalizationOptions>(options =>
        {
            options.DefaultRequestCulture = new RequestCulture(English);
            options.SupportedCultures = [.. Supported];
            options.SupportedUICultures = [.. Supported];
            // es-MX, es-AR and en-GB browsers get Spanish and English, not the default.
            options.FallBackToParentCultures = options.FallBackToParentUICultures = true;
            // The person's own choice first, on every device; then what this browser asks for. No query string or
            // cookie: a choice that lived in one browser would not follow the person.
            options.RequestCultureProviders = [new PersonCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        return services;
    }

    /// <summary>After authentication: the person's saved language needs to know who they are. Blazor's circuit
    /// connection (/_blazor) passes through here too, so an interactive page keeps the culture it was loaded in.</summary>
    public static IApplicationBuilder UseGroupsLocalization(this IApplicationBuilder app) => app.UseRequestLocalization();

    private sealed class PersonCultureProvider : RequestCultureProvider
    {
        public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            if (httpContext.User.Identity?.IsAuthenticated != true) return null;
            var memberId = httpContext.User.FindFirst(System.Security.Claims.ClaimTypes.NameIdentifier)?.Value;
            if (memberId is null) return null;
            var chosen = await httpContext.RequestServices.GetRequiredService<PersonCulture>().ChosenAsync(memberId);
            return chosen is null ? null : new ProviderCultureResult(chosen);
        }
    }
}
