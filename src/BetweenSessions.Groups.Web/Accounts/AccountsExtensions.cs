using System.Security.Claims;
using BetweenSessions.Groups.Data;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BetweenSessions.Groups.Web.Accounts;

internal static class AccountsExtensions
{
    /// <summary>Policy for API and hub callers: a page's cookie or an API client's bearer token.</summary>
    public const string ApiPolicy = "api";

    public static IHostApplicationBuilder AddGroupsAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, options =>
            {
                // Browsers cannot set headers on WebSockets, so SignalR clients send the token in the query string.
                options.Events.OnMessageReceived = context =>
                {
                    if (context.Request.Path.StartsWithSegments("/hubs")
                        && context.Request.Query.TryGetValue("access_token", out var token))
                    {
                        context.Token = token;
                    }
                    return Task.CompletedTask;
                };
            })
            .AddIdentityCookies();

        // Sign-in cookies and bearer tokens are protected with these keys. In the database every host shares, so a
        // cookie or token from one host is accepted by every other, and a restart signs nobody out.
        services.AddDataProtection()
            .SetApplicationName("BetweenSessions.Groups")
            .PersistKeysToDbContext<GroupsDbContext>();

        services.ConfigureApplicationCookie(options =>
        {
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/login";
            options.Cookie.Name = "bsg.auth";
            options.Cookie.SameSite = SameSiteMode.Lax;
            // API and hub callers get a status code, not a redirect to a page they cannot use.
            options.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
        });

        services.AddIdentityCore<GroupsUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
            })
            .AddEntityFrameworkStores<GroupsDbContext>()
            .AddDefaultTokenProviders()
            .AddApiEndpoints()
            // After AddApiEndpoints, which registers the plain SignInManager again: the last registration wins.
            .AddSignInManager<GroupsSignInManager>();

        services.Configure<SignInThrottleOptions>(builder.Configuration.GetSection("Accounts:SignInThrottle"));
        services.AddSingleton<SignInThrottle>();
        builder.AddGroupsStrongSignIn();

        services.AddAuthorizationBuilder()
            .AddPolicy(ApiPolicy, policy => policy
                .AddAuthenticationSchemes(IdentityConstants.ApplicationScheme, IdentityConstants.BearerScheme)
                .RequireAuthenticatedUser());
        services.AddCascadingAuthenticationState();
        return builder;
    }

    public static IEndpointRouteBuilder MapGroupsAccounts(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGroup("api/identity").WithTags("Identity").AddEndpointFilter(SignInThrottle.Filter)
            .AddEndpointFilter(StrongSignInExtensions.CarryThroughRefresh).MapIdentityApi<GroupsUser>();
        endpoints.MapGroupsPasskeys();

        endpoints.MapPost("account/logout", async (SignInManager<GroupsUser> signInManager, [FromForm] string? returnUrl) =>
        {
            await signInManager.SignOutAsync();
            return TypedResults.LocalRedirect(IsLocal(returnUrl) ? returnUrl! : "~/");
        });
        return endpoints;
    }

    public static string MemberId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Signed-in user without an id.");

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\");

    private static Task StatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
