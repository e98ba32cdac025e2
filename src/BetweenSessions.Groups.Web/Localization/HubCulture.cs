using System.Globalization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Localization;

/// <summary>
/// Each hub call runs in the language of the connection's person: the one they chose in Settings (looked up per call,
/// so a change reaches connections already open), else the one their browser or app asked for when it connected
/// (Accept-Language, or the access token's request's), else English. Refusals, and anything a grain says back through
/// the call (the grain call carries the culture on), are then in their words.
/// </summary>
internal sealed class HubCulture(PersonCulture people) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var chosen = context.UserIdentifier is { } memberId ? await people.ChosenAsync(memberId) : null;
        var culture = chosen is not null
            ? CultureInfo.GetCultureInfo(chosen)
            : context.GetHttpContext()?.Features.Get<IRequestCultureFeature>()?.RequestCulture.UICulture ?? LocalizationExtensions.English;
        using (CultureScope.Use(culture))
            return await next(invocationContext);
    }
}
