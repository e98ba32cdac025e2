using System.Security.Claims;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using BetweenSessions.Groups.Web.Push;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// Identity's sign-in, with every sign-in and every failed password or second step for an existing account in the
/// access log: the pages, the Identity API, every second factor and passkeys all come through here. It also says how
/// a passkey or a remembered device signed someone in (the "amr" claim, <see cref="SignInMethods"/>), which Identity
/// leaves at "pwd".
/// </summary>
internal sealed class GroupsSignInManager(
    UserManager<GroupsUser> userManager,
    IHttpContextAccessor contextAccessor,
    IUserClaimsPrincipalFactory<GroupsUser> claimsFactory,
    IOptions<IdentityOptions> optionsAccessor,
    ILogger<SignInManager<GroupsUser>> logger,
    IAuthenticationSchemeProvider schemes,
    IUserConfirmation<GroupsUser> confirmation,
    IAccessLog accessLog,
    PushDevices pushDevices)
    : SignInManager<GroupsUser>(userManager, contextAccessor, claimsFactory, optionsAccessor, logger, schemes, confirmation)
{
    private enum Way { Passkey, AuthenticatorCode, RecoveryCode, RememberedDevice, Refresh }

    // Scoped, like every SignInManager: one request's sign-in at a time. Set while the way in is under way, so that
    // SignInWithClaimsAsync, where every way ends, knows which one it was.
    private Way? _way;

    public override async Task SignInWithClaimsAsync(GroupsUser user, AuthenticationProperties? authenticationProperties, IEnumerable<Claim> additionalClaims)
    {
        var claims = additionalClaims.ToList();
        if (_way is Way.Passkey) SetMethod(claims, SignInMethods.Passkey);
        // The device was remembered after a second step on it: it stands in for that step, as the person chose.
        if (_way is Way.RememberedDevice) SetMethod(claims, SignInMethods.TwoFactor);
        await base.SignInWithClaimsAsync(user, authenticationProperties, claims);
        // A refreshed cookie (after a change to the account) is the same sign-in, not a new one.
        if (_way is Way.Refresh) return;
        var how = _way switch
        {
            Way.Passkey => "with a passkey · ",
            Way.AuthenticatorCode => "with an authenticator code · ",
            Way.RecoveryCode => "with a recovery code · ",
            Way.RememberedDevice => "on a remembered device · ",
            _ => "",
        };
        await accessLog.AppendAsync([new AccessRecord(user.Id, AccessActions.SignedIn, Detail: how + Device())]);
    }

    /// <summary>
    /// Every way out on this browser (the sign-out button, the idle sign-out, after deleting the account) ends its push
    /// subscriptions too: a phone that is signed out does not buzz for the person who was.
    /// </summary>
    public override async Task SignOutAsync()
    {
        if (Context.User.FindFirstValue(ClaimTypes.NameIdentifier) is { } userId && PushDevices.DeviceOf(Context) is { } device)
        {
            try
            {
                await pushDevices.ForgetDeviceAsync(userId, device);
            }
            catch (Exception ex)
            {
                // Signing out must not fail on this; the subscription goes when its push service says it is gone.
                Logger.LogWarning(ex, "Could not remove this browser's push subscriptions at sign-out");
            }
        }
        await base.SignOutAsync();
    }

    public override async Task<SignInResult> PasswordSignInAsync(GroupsUser user, string password, bool isPersistent, bool lockoutOnFailure)
    {
        var result = await base.PasswordSignInAsync(user, password, isPersistent, lockoutOnFailure);
        if (!result.Succeeded && !result.RequiresTwoFactor)
            await LogFailedAsync(user, result, result.IsNotAllowed ? "not confirmed yet" : "wrong password");
        return result;
    }

    protected override async Task<SignInResult> SignInOrTwoFactorAsync(GroupsUser user, bool isPersistent, string? loginProvider = null, bool bypassTwoFactor = false)
    {
        if (_way is null && !bypassTwoFactor && loginProvider is null
            && await UserManager.GetTwoFactorEnabledAsync(user) && await IsTwoFactorClientRememberedAsync(user))
            return await WayAsync(Way.RememberedDevice, () => base.SignInOrTwoFactorAsync(user, isPersistent, loginProvider, bypassTwoFactor));
        return await base.SignInOrTwoFactorAsync(user, isPersistent, loginProvider, bypassTwoFactor);
    }

    public override Task<SignInResult> PasskeySignInAsync(string credentialJson) =>
        WayAsync(Way.Passkey, () => base.PasskeySignInAsync(credentialJson));

    public override async Task<SignInResult> TwoFactorAuthenticatorSignInAsync(string code, bool isPersistent, bool rememberClient)
    {
        var result = await WayAsync(Way.AuthenticatorCode, () => base.TwoFactorAuthenticatorSignInAsync(code, isPersistent, rememberClient));
        await LogFailedSecondStepAsync(result, "wrong authenticator code");
        return result;
    }

    public override async Task<SignInResult> TwoFactorRecoveryCodeSignInAsync(string recoveryCode)
    {
        var result = await WayAsync(Way.RecoveryCode, () => base.TwoFactorRecoveryCodeSignInAsync(recoveryCode));
        await LogFailedSecondStepAsync(result, "recovery code not accepted");
        return result;
    }

    public override Task RefreshSignInAsync(GroupsUser user) => WayAsync(Way.Refresh, async () =>
    {
        await base.RefreshSignInAsync(user);
        return SignInResult.Success;
    });

    private async Task<SignInResult> WayAsync(Way way, Func<Task<SignInResult>> signIn)
    {
        _way = way;
        try { return await signIn(); }
        finally { _way = null; }
    }

    /// <summary>A wrong second step after the right password: someone may know the password.</summary>
    private async Task LogFailedSecondStepAsync(SignInResult result, string what)
    {
        if (result.Succeeded || await GetTwoFactorAuthenticationUserAsync() is not { } user) return;
        await LogFailedAsync(user, result, what);
    }

    /// <summary>A lockout is named as such whichever step tripped it: the person reads it as "someone kept trying".</summary>
    private Task LogFailedAsync(GroupsUser user, SignInResult result, string what) => accessLog.AppendAsync(
        [new AccessRecord(user.Id, AccessActions.SignInFailed, Detail: $"{(result.IsLockedOut ? "paused after several attempts" : what)} · {Device()}")]);

    private static void SetMethod(List<Claim> claims, string method)
    {
        claims.RemoveAll(c => c.Type == SignInMethods.ClaimType);
        claims.Add(new Claim(SignInMethods.ClaimType, method));
    }

    /// <summary>What a person recognises: "Firefox on Android · 203.0.113.7". Never a token, a code or a cookie.</summary>
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
