using System.Security.Claims;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.Authentication.BearerToken;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.Data;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// How a person signed in, as Identity's "amr" claim on the cookie and in bearer tokens says it (RFC 8176). Identity
/// writes "pwd" for a password and "mfa" after a second step; for a passkey it writes "pwd" as well (dotnet/aspnetcore
/// issue 64881), so GroupsSignInManager writes "pop" (proof of possession of a key) instead.
/// </summary>
public static class SignInMethods
{
    public const string ClaimType = "amr";
    public const string Password = "pwd";
    public const string TwoFactor = "mfa";
    public const string Passkey = "pop";

    /// <summary>Signed in with a second step or a passkey.</summary>
    public static bool IsStrong(ClaimsPrincipal user) =>
        user.HasClaim(ClaimType, TwoFactor) || user.HasClaim(ClaimType, Passkey);

    /// <summary>Claims about the sign-in rather than the account: how it was made, and whether it is on a shared device.</summary>
    private static readonly string[] SessionClaimTypes = [ClaimType, AccountsExtensions.SharedDeviceClaim];

    /// <summary>
    /// Puts the session's claims of <paramref name="from"/> on <paramref name="to"/>, a principal made afresh for the
    /// same person: how they signed in, and on what kind of device, stays true for as long as that sign-in lasts.
    /// </summary>
    public static void Carry(ClaimsPrincipal? from, ClaimsPrincipal? to)
    {
        if (from is null || to?.Identity is not ClaimsIdentity identity) return;
        if (from.FindFirstValue(ClaimTypes.NameIdentifier) != to.FindFirstValue(ClaimTypes.NameIdentifier)) return;
        foreach (var claim in from.Claims.Where(c => SessionClaimTypes.Contains(c.Type)).DistinctBy(c => (c.Type, c.Value)).ToList())
            if (!to.HasClaim(claim.Type, claim.Value)) identity.AddClaim(new Claim(claim.Type, claim.Value));
    }
}

/// <summary>The facilitator rule (Accounts:RequireStrongSignInForFacilitators), asked wherever a facilitator acts.</summary>
public sealed class FacilitatorSignIn(IOptionsMonitor<AccountOptions> options)
{
    public static string Refusal => ServerText.Get("StrongSignIn.Refusal");

    public bool Required => options.CurrentValue.RequireStrongSignInForFacilitators;

    /// <summary>True when <paramref name="user"/>, signed in as they are now, may do what facilitators do.</summary>
    public bool Allows(ClaimsPrincipal user) => !Required || SignInMethods.IsStrong(user);
}

internal static class StrongSignInExtensions
{
    public static IHostApplicationBuilder AddGroupsStrongSignIn(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton<FacilitatorSignIn>();

        // The cookie's principal is made afresh whenever its security stamp is checked (every Accounts:SessionCheck),
        // and Identity's fresh principal does not say how the person signed in or whether on a shared device: keep
        // both, or a facilitator who signed in with a code would be turned away, and a shared device would stop
        // signing itself out, after the first check.
        services.Configure<SecurityStampValidatorOptions>(options =>
        {
            var earlier = options.OnRefreshingPrincipal;
            options.OnRefreshingPrincipal = async context =>
            {
                if (earlier is not null) await earlier(context);
                SignInMethods.Carry(context.CurrentPrincipal, context.NewPrincipal);
            };
        });

        // Identity asks the authenticator to verify the person (fingerprint, face or PIN) by default, which is what
        // lets a passkey stand in for a password and a second step together. Its server domain comes from the request
        // and the origin must be the request's own, which holds behind the proxy (it forwards the Host) and on loopback.
        services.Configure<IdentityPasskeyOptions>(options =>
        {
            // Discoverable passkeys: signing in needs no email first, so it says nothing about which accounts exist.
            options.ResidentKeyRequirement = "required";
        });
        return builder;
    }

    /// <summary>
    /// For the Identity API's refresh: the new tokens' principal is made afresh, like the cookie's after a stamp check,
    /// so the sign-in methods of the refresh token it was given are carried over.
    /// </summary>
    public static async ValueTask<object?> CarryThroughRefresh(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var result = await next(context);
        if (context.Arguments.OfType<RefreshRequest>().FirstOrDefault() is not { RefreshToken: { Length: > 0 } token }) return result;
        var signIn = result as SignInHttpResult ?? (result as INestedHttpResult)?.Result as SignInHttpResult;
        if (signIn is null) return result;
        var bearer = context.HttpContext.RequestServices.GetRequiredService<IOptionsMonitor<BearerTokenOptions>>().Get(IdentityConstants.BearerScheme);
        // The endpoint accepted this token (unexpired, security stamp unchanged) before it signed in anew.
        SignInMethods.Carry(bearer.RefreshTokenProtector.Unprotect(token)?.Principal, signIn.Principal);
        return result;
    }
}

/// <summary>Identity's recovery codes ("XKT4B-9RCWQ"), as a person may type them.</summary>
public static class RecoveryCodes
{
    /// <summary>Spaces and case do not matter, nor a missing hyphen: Identity compares the stored form exactly.</summary>
    public static string Normalize(string typed)
    {
        var code = new string(typed.Where(c => !char.IsWhiteSpace(c)).ToArray()).ToUpperInvariant();
        return code.Length == 10 && !code.Contains('-') ? $"{code[..5]}-{code[5..]}" : code;
    }
}

/// <summary>The name a person gives a passkey: shown to them alone, on their sign-in security page.</summary>
public static class PasskeyNames
{
    /// <summary>Trimmed, without control or invisible formatting characters, at most <paramref name="max"/> long; null when nothing is left.</summary>
    public static string? Clean(string? typed, int max)
    {
        var kept = new string((typed ?? "").Where(c => !char.IsControl(c) && char.GetUnicodeCategory(c) != System.Globalization.UnicodeCategory.Format).ToArray()).Trim();
        if (kept.Length > max) kept = kept[..max].TrimEnd();
        return kept.Length == 0 ? null : kept;
    }
}
