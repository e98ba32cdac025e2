using System.Security.Claims;
using BetweenSessions.Groups.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc;

namespace BetweenSessions.Groups.Web.Accounts;

public sealed record ResetLinkResponse(string Url, DateTimeOffset ExpiresAt);

public sealed record DeleteAccountRequest(string? Password);

internal static class AccountsExtensions
{
    /// <summary>Policy for API and hub callers: a page's cookie or an API client's bearer token.</summary>
    public const string ApiPolicy = "api";

    /// <summary>On a session without "Keep me signed in": the page signs out after <see cref="AccountOptions.IdleSignOut"/>.</summary>
    public const string SharedDeviceClaim = "bsg:shared-device";

    public static IHostApplicationBuilder AddGroupsAccounts(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddAuthentication(IdentityConstants.ApplicationScheme)
            .AddBearerToken(IdentityConstants.BearerScheme, options =>
            {
                // Browsers cannot set headers on WebSockets, so SignalR clients send the token in the query string.
                options.Events.OnMessageReceived = async context =>
                {
                    if (context.Request.Path.StartsWithSegments("/hubs")
                        && context.Request.Query.TryGetValue("access_token", out var token))
                    {
                        context.Token = token;
                    }
                    // The handler itself only checks a token's expiry; an ended session (SessionStamps) fails here,
                    // so the caller gets 401 and signs in again.
                    var presented = context.Token ?? BearerFrom(context.Request);
                    if (presented is not null && context.Options.BearerTokenProtector.Unprotect(presented) is { } ticket
                        && !await context.HttpContext.RequestServices.GetRequiredService<SessionStamps>().IsCurrentAsync(ticket.Principal))
                    {
                        context.Fail("The session has ended.");
                    }
                };
            })
            .AddIdentityCookies();

        // Sign-in cookies and bearer tokens are protected with these keys. In the database every host shares, so a
        // cookie or token from one host is accepted by every other, and a restart signs nobody out.
        services.AddDataProtection()
            .SetApplicationName("BetweenSessions.Groups")
            .PersistKeysToDbContext<GroupsDbContext>();

        var accounts = builder.Configuration.GetSection("Accounts");
        services.AddOptions<AccountOptions>().Bind(accounts)
            .Validate(o => !o.RequireConfirmedEmail || !string.IsNullOrWhiteSpace(builder.Configuration["Email:Smtp:Host"]),
                "Accounts:RequireConfirmedEmail is on, so Email:Smtp:Host must be set: confirmation links go by email.")
            .ValidateOnStart();
        var accountOptions = accounts.Get<AccountOptions>() ?? new AccountOptions();

        services.ConfigureApplicationCookie(options =>
        {
            // Identity's own check (the security stamp, every SessionCheck) stays; an ended session is refused before
            // it, at once on the host where it ended.
            var identityCheck = options.Events.OnValidatePrincipal;
            options.Events.OnValidatePrincipal = async context =>
            {
                if (!await context.HttpContext.RequestServices.GetRequiredService<SessionStamps>().IsCurrentAsync(context.Principal!))
                {
                    context.RejectPrincipal();
                    await context.HttpContext.SignOutAsync(IdentityConstants.ApplicationScheme);
                    return;
                }
                await identityCheck(context);
            };
            // Without "Keep me signed in" a session ends after a while without activity (a shared device); with it, after
            // KeepSignedIn without a visit. Either way each visit slides it on (SlidingExpiration, the default).
            options.ExpireTimeSpan = accountOptions.KeepSignedIn;
            options.Events.OnSigningIn = context =>
            {
                if (!context.Properties.IsPersistent)
                {
                    // The page signs out after IdleSignOut without activity (app.js); the cookie lasts a quarter longer,
                    // so that the page's own sign-out still finds the session, and a closed tab's ends soon after.
                    context.Properties.ExpiresUtc = DateTimeOffset.UtcNow + accountOptions.IdleSignOut * 1.25;
                    if (!context.Principal!.HasClaim(SharedDeviceClaim, "true"))
                        ((ClaimsIdentity)context.Principal.Identity!).AddClaim(new Claim(SharedDeviceClaim, "true"));
                }
                return Task.CompletedTask;
            };
            options.LoginPath = "/account/login";
            options.LogoutPath = "/account/logout";
            options.AccessDeniedPath = "/account/login";
            options.Cookie.Name = "bsg.auth";
            options.Cookie.SameSite = SameSiteMode.Lax;
            // API and hub callers get a status code, not a redirect to a page they cannot use.
            options.Events.OnRedirectToLogin = context => StatusOrRedirect(context, StatusCodes.Status401Unauthorized);
            options.Events.OnRedirectToAccessDenied = context => StatusOrRedirect(context, StatusCodes.Status403Forbidden);
        });

        // Before AddApiEndpoints, which otherwise registers Identity's placeholder sender that sends nothing.
        services.AddSingleton<AccountEmails>();
        services.AddSingleton<IEmailSender<GroupsUser>>(sp => sp.GetRequiredService<AccountEmails>());
        services.AddScoped<AccountLinks>();
        services.AddScoped<Sessions>();
        services.AddScoped<AccountDeletion>();
        services.Configure<DataProtectionTokenProviderOptions>(o => o.TokenLifespan = AccountLinks.Lifetime);
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = accountOptions.SessionCheck);
        services.AddSingleton<SessionStamps>();
        services.AddScoped<AuthenticationStateProvider, SessionRevalidatingStateProvider>();
        services.AddScoped<ExpectedSignOut>();

        services.AddIdentityCore<GroupsUser>(options =>
            {
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
                options.Password.RequiredLength = 8;
                options.Password.RequireNonAlphanumeric = false;
                options.Password.RequireUppercase = false;
                options.Password.RequireDigit = false;
                options.Lockout.MaxFailedAccessAttempts = 10;
                options.SignIn.RequireConfirmedEmail = accountOptions.RequireConfirmedEmail;
            })
            .AddEntityFrameworkStores<GroupsDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrors>()
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
        endpoints.MapPost("account/logout-everywhere", async (ClaimsPrincipal user, Sessions sessions) =>
        {
            await sessions.SignOutEverywhereAsync(user);
            return TypedResults.LocalRedirect("~/account/login?reason=everywhere");
        }).RequireAuthorization();
        endpoints.MapPost("api/me/sign-out-everywhere", async (ClaimsPrincipal user, Sessions sessions) =>
        {
            await sessions.SignOutEverywhereAsync(user);
            return TypedResults.NoContent();
        }).WithTags("Me").RequireAuthorization(ApiPolicy);
        endpoints.MapPost("api/me/account/delete", async (DeleteAccountRequest request, ClaimsPrincipal user, AccountDeletion deletion,
            SignInManager<GroupsUser> signIn) =>
        {
            await deletion.DeleteAsync(user.MemberId(), request.Password ?? "");
            await signIn.SignOutAsync();
            return TypedResults.NoContent();
        }).WithTags("Me").RequireAuthorization(ApiPolicy);
        // A circle's facilitator makes a one-time link for a member who cannot reset by email, to hand over in person.
        endpoints.MapPost("api/circles/{circleId:guid}/members/{memberId}/reset-link",
            async (Guid circleId, string memberId, ClaimsPrincipal user, AccountLinks links, HttpRequest request) =>
                TypedResults.Ok(new ResetLinkResponse(
                    await links.IssueForMemberAsync(circleId, user.MemberId(), memberId, $"{request.Scheme}://{request.Host}{request.PathBase}/"),
                    DateTimeOffset.UtcNow + AccountLinks.Lifetime)))
            .WithTags("Circles").RequireAuthorization(ApiPolicy);
        // The pages' idle timer calls this while someone is active on a page that makes no other requests (a circuit):
        // the same session, its cookie issued again with a fresh expiry (not a new sign-in, so not in the access log).
        endpoints.MapGet("account/keep-alive", async (HttpContext context) =>
        {
            var session = await context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            if (session.Succeeded) await context.SignInAsync(IdentityConstants.ApplicationScheme, session.Principal, session.Properties);
            return TypedResults.NoContent();
        }).RequireAuthorization();
        return endpoints;
    }

    public static string MemberId(this ClaimsPrincipal user) =>
        user.FindFirstValue(ClaimTypes.NameIdentifier) ?? throw new InvalidOperationException("Signed-in user without an id.");

    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url) && url.StartsWith('/') && !url.StartsWith("//") && !url.StartsWith("/\\");

    private static string? BearerFrom(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : null;
    }

    private static Task StatusOrRedirect(Microsoft.AspNetCore.Authentication.RedirectContext<Microsoft.AspNetCore.Authentication.Cookies.CookieAuthenticationOptions> context, int status)
    {
        if (context.Request.Path.StartsWithSegments("/api") || context.Request.Path.StartsWithSegments("/hubs"))
            context.Response.StatusCode = status;
        else
            context.Response.Redirect(context.RedirectUri);
        return Task.CompletedTask;
    }
}
