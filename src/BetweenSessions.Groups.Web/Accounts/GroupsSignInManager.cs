using System.Security.Claims;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// Identity's sign-in, with every sign-in and every failed password for an existing account in the access log: the
/// pages, the Identity API and every second factor all come through here.
/// </summary>
internal sealed class GroupsSignInManager(
    UserManager<GroupsUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<GroupsUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<GroupsUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<GroupsUser> confirmation,
    IAccessLog accessLog)
    : SignInManager<GroupsUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private bool _refreshing;

    public override async Task SignInWithClaimsAsync(GroupsUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        await base.SignInWithClaimsAsync(user, authenticationProperties, additionalClaims);
        if (!_refreshing) await accessLog.AppendAsync([new AccessRecord(user.Id, AccessActions.SignedIn, Detail: Device())]);
    }

    /// <summary>The same session with a new cookie (after a password change): not a sign-in.</summary>
    public override async Task RefreshSignInAsync(GroupsUser user)
    {
        _refreshing = true;
        try { await base.RefreshSignInAsync(user); }
        finally { _refreshing = false; }
    }

    public override async Task<SignInResult> PasswordSignInAsync(GroupsUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        if (!result.Succeeded && !result.RequiresTwoFactor)
        {
            var why = result.IsLockedOut ? "paused after several attempts" : result.IsNotAllowed ? "not confirmed yet" : "wrong password";
            await accessLog.AppendAsync([new AccessRecord(user.Id, AccessActions.SignInFailed, Detail: $"{why} · {Device()}")]);
        }
        return result;
    }

    /// <summary>What a person recognises: "Firefox on Android · 203.0.113.7". Never a token or a cookie.</summary>
    private string Device()
    {
        var request = Context.Request;
        return $"{SignInDevices.Describe(request.Headers.UserAgent.ToString())} · {Context.Connection.RemoteIpAddress?.ToString() ?? "unknown address"}";
    }
}

/// <summary>A browser and system a person recognises, from a User-Agent; anything else is "an app or script".</summary>
public static class SignInDevices
{
    public static string Describe(string userAgent)
    {
        if (string.IsNullOrWhiteSpace(userAgent)) return "an app or script";
        var browser =
            userAgent.Contains("Edg/") ? "Edge" :
            userAgent.Contains("Firefox/") ? "Firefox" :
            userAgent.Contains("Chrome/") || userAgent.Contains("CriOS/") ? "Chrome" :
            userAgent.Contains("Safari/") ? "Safari" : null;
        var system =
            userAgent.Contains("Android") ? "Android" :
            userAgent.Contains("iPhone") || userAgent.Contains("iPad") ? "iPhone or iPad" :
            userAgent.Contains("Windows") ? "Windows" :
            userAgent.Contains("Mac OS X") ? "Mac" :
            userAgent.Contains("Linux") ? "Linux" : null;
        return (browser, system) switch
        {
            (null, null) => "an app or script",
            (null, _) => $"an app on {system}",
            (_, null) => browser,
            _ => $"{browser} on {system}",
        };
    }
}
