using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Localization;
using BetweenSessions.Groups.Web.Me;
using Microsoft.AspNetCore.Identity;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// "Delete my account": leave every circle, erase everything the person wrote (as "Erase what I wrote" does), forget
/// their settings and nudges, then the account itself, with its sign-in methods. What stays is said on the page
/// beforehand (the Settings page, under "Delete my account"). Safe to repeat: an interrupted deletion is finished by the next attempt.
/// </summary>
internal sealed class AccountDeletion(
    UserManager<GroupsUser> users, ICircleDirectory directory, IGrainFactory grains, MyData data, SessionStamps stamps,
    IAccessLog accessLog, Push.PushDevices pushDevices)
{
    /// <summary>Deletes the account; a refusal (wrong password, sole facilitator) changes nothing.</summary>
    public async Task DeleteAsync(string memberId, string password)
    {
        var user = await users.FindByIdAsync(memberId) ?? throw new InvalidOperationException("The account is gone already.");
        // Asked again, so that an unattended signed-in device is not enough to delete someone.
        if (!await users.CheckPasswordAsync(user, password))
            throw new DomainValidationException("password", ServerText.Get("Delete.Password"));

        var circles = await directory.ListForMemberAsync(memberId);
        var blocking = new List<string>();
        foreach (var circle in circles.Where(c => c.Role == CircleRole.Facilitator))
        {
            var details = await grains.GetGrain<ICircleGrain>(circle.CircleId).GetDetailsAsync(memberId);
            if (details.Members.Count > 1 && details.Members.Count(m => m.Role == CircleRole.Facilitator) == 1)
                blocking.Add(details.Name);
        }
        if (blocking.Count > 0)
        {
            throw new DomainValidationException("circle",
                ServerText.Format("Delete.LastFacilitator", string.Join(", ", blocking.Select(n => ServerText.Format("Quoted", n)))));
        }

        await accessLog.AppendAsync([new AccessRecord(memberId, AccessActions.DeletedAccount)]);
        // Leaving first, so that the erase also takes the "left" entries, and with them the name.
        foreach (var circle in circles) await grains.GetGrain<ICircleGrain>(circle.CircleId).LeaveAsync(memberId);
        await data.EraseEntriesAsync(memberId);
        await grains.GetGrain<IMemberSettingsGrain>(memberId).ForgetAsync();
        await grains.GetGrain<INudgeGrain>(memberId).ForgetAsync();
        await pushDevices.ForgetAllAsync(memberId);
        var deleted = await users.DeleteAsync(user);
        if (!deleted.Succeeded) throw new InvalidOperationException(string.Join(" ", deleted.Errors.Select(e => e.Description)));
        // Every session of the account ends with it: its principal no longer finds an account (SessionStamps).
        stamps.Forget(memberId);
    }
}
