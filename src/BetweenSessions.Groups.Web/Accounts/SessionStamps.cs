using System.Collections.Concurrent;
using System.Security.Claims;
using BetweenSessions.Groups.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// Whether a signed-in principal still stands: its account exists and its security stamp is the account's current
/// one. "Sign out everywhere", a password reset and deleting the account change or remove the stamp, so every cookie,
/// bearer token, open page and hub connection issued before stops working within <see cref="AccountOptions.SessionCheck"/>
/// on every host, and at once on the host where it happened. Answers are remembered that long, so a busy person costs
/// one lookup per interval, not one per request.
/// </summary>
internal sealed class SessionStamps(
    IServiceScopeFactory scopes, IOptions<AccountOptions> options, IOptions<IdentityOptions> identity, TimeProvider clock)
{
    private const int MaxRemembered = 50_000;
    private readonly ConcurrentDictionary<(string User, string Stamp), (bool Current, DateTimeOffset At)> _checked = new();

    public async Task<bool> IsCurrentAsync(ClaimsPrincipal principal)
    {
        if (principal.Identity?.IsAuthenticated != true) return true;
        var userId = principal.FindFirstValue(identity.Value.ClaimsIdentity.UserIdClaimType);
        var stamp = principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType);
        if (userId is null || stamp is null) return false;
        var now = clock.GetUtcNow();
        if (_checked.TryGetValue((userId, stamp), out var known) && now - known.At < options.Value.SessionCheck) return known.Current;

        bool current;
        using (var scope = scopes.CreateScope())
        {
            var users = scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>();
            current = await users.FindByIdAsync(userId) is { } user && await users.GetSecurityStampAsync(user) == stamp;
        }
        if (_checked.Count > MaxRemembered) _checked.Clear();
        _checked[(userId, stamp)] = (current, now);
        return current;
    }

    /// <summary>After the account's stamp changed on this host: no remembered answer for it stands.</summary>
    public void Forget(string userId)
    {
        foreach (var key in _checked.Keys)
            if (key.User == userId) _checked.TryRemove(key, out _);
    }
}

/// <summary>
/// Set by a page that ends its own session (deleting the account), so that <c>SessionGuard</c> leaves the way out to
/// that page instead of sending it to sign-in. One per circuit.
/// </summary>
internal sealed class ExpectedSignOut
{
    public bool Now { get; set; }
}

/// <summary>An open page (a Blazor circuit) makes no requests, so it is checked on a timer; a stale one signs out.</summary>
internal sealed class SessionRevalidatingStateProvider(ILoggerFactory loggers, SessionStamps stamps, IOptions<AccountOptions> options)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => options.Value.SessionCheck;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState authenticationState, CancellationToken cancellationToken) =>
        stamps.IsCurrentAsync(authenticationState.User);
}
