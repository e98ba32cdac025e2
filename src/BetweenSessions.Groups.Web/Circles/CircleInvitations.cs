using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Web.Circles;

/// <summary>Joining by invite code: the code names the circle, and the circle's grain decides.</summary>
public sealed class CircleInvitations(IGrainFactory grains, ICircleDirectory directory)
{
    public async Task<CircleDetails> JoinAsync(string memberId, string displayName, string? inviteCode)
    {
        new Validation().Required("inviteCode", inviteCode, "InviteCode").ThrowIfInvalid();
        var code = InviteCode.Normalize(inviteCode);
        var circleId = code.Length == Limits.InviteCode ? await directory.FindByInviteCodeAsync(code) : null;
        if (circleId is null)
            throw new CircleNotFoundException(DomainText.Get("Circle.InviteCode"));
        return await grains.GetGrain<ICircleGrain>(circleId.Value).JoinAsync(memberId, displayName, code);
    }
}
