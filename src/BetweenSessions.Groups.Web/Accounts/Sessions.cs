using System.Security.Claims;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using Microsoft.AspNetCore.Identity;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>Ending sessions: this one, or every one of the account's.</summary>
internal sealed class Sessions(UserManager<GroupsUser> users, SignInManager<GroupsUser> signIn, SessionStamps stamps, IAccessLog accessLog,
    Push.PushDevices pushDevices)
{
    /// <summary>
    /// A new security stamp: every cookie, bearer token (and its refresh token), open page and hub connection issued
    /// before stops working (<see cref="SessionStamps"/>), this one included; every push subscription goes.
    /// </summary>
    public async Task SignOutEverywhereAsync(ClaimsPrincipal principal)
    {
        var user = await users.GetUserAsync(principal) ?? throw new InvalidOperationException("Signed-in user without an account.");
        await users.UpdateSecurityStampAsync(user);
        stamps.Forget(user.Id);
        // Every phone of theirs stops buzzing too, including ones they no longer have.
        await pushDevices.ForgetAllAsync(user.Id);
        await accessLog.AppendAsync([new AccessRecord(user.Id, AccessActions.SignedOutEverywhere)]);
        await signIn.SignOutAsync();
    }
}
