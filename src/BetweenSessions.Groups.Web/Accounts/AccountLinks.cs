using System.Text;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>
/// Links that carry an account token: to confirm an email address, and one-time links to choose a new password
/// (Identity's reset token, which is bound to the account's security stamp,
/// so it stops working once used (the reset changes the stamp) and after <see cref="Lifetime"/>).
/// </summary>
internal sealed class AccountLinks(
    UserManager<GroupsUser> users, IGrainFactory grains, IAccessLog accessLog, IOptions<Nudges.NudgeEmailOptions> email)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(1);

    public async Task<string> CreateAsync(GroupsUser user, string baseUri) =>
        Absolute($"account/reset-password?userId={Uri.EscapeDataString(user.Id)}&code={Encode(await users.GeneratePasswordResetTokenAsync(user))}", baseUri);

    /// <summary>The link that confirms the account's email address (Accounts:RequireConfirmedEmail).</summary>
    public async Task<string> ConfirmationAsync(GroupsUser user, string baseUri) =>
        Absolute($"account/confirm-email?userId={Uri.EscapeDataString(user.Id)}&code={Encode(await users.GenerateEmailConfirmationTokenAsync(user))}", baseUri);

    // The address people reach the app by when it is configured (what an email must point to); else this request's.
    private string Absolute(string path, string baseUri) => $"{(email.Value.PublicUrl ?? baseUri).TrimEnd('/')}/{path}";

    private static string Encode(string token) => WebEncoders.Base64UrlEncode(Encoding.UTF8.GetBytes(token));

    public static string? DecodeCode(string? code)
    {
        if (string.IsNullOrEmpty(code)) return null;
        try { return Encoding.UTF8.GetString(WebEncoders.Base64UrlDecode(code)); }
        catch (FormatException) { return null; }
    }

    /// <summary>
    /// For a member who cannot use email: their circle's facilitator makes the link and hands it over in person. Only
    /// for people who are members (not co-facilitators) of that circle, and always in the access log, which the member
    /// reads too.
    /// </summary>
    public async Task<string> IssueForMemberAsync(Guid circleId, string facilitatorId, string memberId, string baseUri)
    {
        var circle = await grains.GetGrain<ICircleGrain>(circleId).GetDetailsAsync(facilitatorId);
        if (circle.Role != CircleRole.Facilitator)
            throw new CircleAccessDeniedException(ServerText.Get("ResetLink.FacilitatorsOnly"));
        var member = circle.Members.SingleOrDefault(m => m.MemberId == memberId)
            ?? throw new CircleNotFoundException(DomainText.Get("Circle.PersonNotThere"));
        if (member.Role != CircleRole.Member)
            throw new CircleAccessDeniedException(ServerText.Get("ResetLink.MembersOnly"));
        var user = await users.FindByIdAsync(memberId) ?? throw new CircleNotFoundException(ServerText.Get("ResetLink.NoAccount"));
        await accessLog.AppendAsync([new AccessRecord(facilitatorId, AccessActions.IssuedResetLink, circleId, memberId)]);
        return await CreateAsync(user, baseUri);
    }
}
