using System.Reflection;
using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Accounts;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>A hub method only a circle's facilitators may call; its first argument is the circle's id.</summary>
[AttributeUsage(AttributeTargets.Method)]
internal sealed class FacilitatorsOnlyAttribute : Attribute;

/// <summary>
/// The facilitator rule over the hub (Accounts:RequireStrongSignInForFacilitators): a facilitator whose token or cookie
/// says they signed in without a second step or a passkey is refused every <see cref="FacilitatorsOnlyAttribute"/>
/// method, with words that say what to do. Anyone else goes on to the grain, which refuses members and outsiders as it
/// always has, so members never notice the rule.
/// </summary>
internal sealed class FacilitatorSignInHubFilter(FacilitatorSignIn rule, IGrainFactory grains) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var user = invocationContext.Context.User;
        if (user is null || rule.Allows(user) || invocationContext.HubMethod.GetCustomAttribute<FacilitatorsOnlyAttribute>() is null
            || invocationContext.HubMethodArguments is not [JsonElement circleId, ..])
            return await next(invocationContext);

        CircleRole role;
        try
        {
            role = (await grains.GetGrain<ICircleGrain>(HubInput.CircleId(circleId)).GetDetailsAsync(user.MemberId())).Role;
        }
        catch (Exception ex) when (ex is HubException or CircleAccessDeniedException or CircleNotFoundException)
        {
            // Not someone who runs this circle: the method answers as it would without the rule.
            return await next(invocationContext);
        }
        if (role == CircleRole.Facilitator) throw new HubException(FacilitatorSignIn.Refusal);
        return await next(invocationContext);
    }
}
