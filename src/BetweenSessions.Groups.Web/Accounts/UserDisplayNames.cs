using System.Security.Claims;
using BetweenSessions.Groups.Data;
using Microsoft.AspNetCore.Identity;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>The name a person chose at registration, used as their default name in a new circle.</summary>
internal sealed class UserDisplayNames(UserManager<GroupsUser> users)
{
    public async Task<string> DefaultForAsync(ClaimsPrincipal principal)
    {
        var user = await users.GetUserAsync(principal);
        if (!string.IsNullOrWhiteSpace(user?.DisplayName)) return user.DisplayName;
        var email = user?.Email ?? principal.Identity?.Name ?? "";
        var local = email.Split('@')[0];
        return local.Length > 0 ? local[..Math.Min(local.Length, Domain.Limits.DisplayName)] : "Member";
    }
}
