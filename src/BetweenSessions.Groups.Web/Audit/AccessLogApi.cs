using System.Security.Claims;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BetweenSessions.Groups.Web.Audit;

public sealed record AccessLogEntryResponse(
    long Id, DateTimeOffset At, string Action, string Text, string? ActorName, Guid? CircleId, string? CircleName,
    string? SubjectName, string? Detail);

internal static class AccessLogApi
{
    private const int DefaultPage = 50;

    public static IEndpointRouteBuilder MapAccessLogApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("api/me/access-log", ReadMineAsync).WithTags("Me").RequireAuthorization(AccountsExtensions.ApiPolicy);
        endpoints.MapGet("api/circles/{circleId:guid}/access-log", ReadCircleAsync).WithTags("Circles").RequireAuthorization(AccountsExtensions.ApiPolicy);
        return endpoints;
    }

    private static async Task<Ok<List<AccessLogEntryResponse>>> ReadMineAsync(
        ClaimsPrincipal user, IAccessLog log, long? before, int? max, CancellationToken ct)
    {
        var me = user.MemberId();
        return TypedResults.Ok(Respond(await log.ReadAboutAsync(me, before, max ?? DefaultPage, ct: ct), me));
    }

    private static async Task<Results<Ok<List<AccessLogEntryResponse>>, ProblemHttpResult>> ReadCircleAsync(
        Guid circleId, ClaimsPrincipal user, IGrainFactory grains, IAccessLog log, FacilitatorSignIn facilitatorRule,
        long? before, int? max, CancellationToken ct)
    {
        var me = user.MemberId();
        await RequireFacilitatorAsync(grains, circleId, me);
        // Part of running the circle, like the dashboard it is reached from (Accounts:RequireStrongSignInForFacilitators).
        if (!facilitatorRule.Allows(user))
            return TypedResults.Problem(FacilitatorSignIn.Refusal, statusCode: StatusCodes.Status403Forbidden, title: ServerText.Get("Problem.StrongSignIn"));
        return TypedResults.Ok(Respond(await log.ReadCircleAsync(circleId, before, max ?? DefaultPage, ct), me));
    }

    /// <summary>A circle's log is for its facilitators; anyone else is refused as the grain refuses them.</summary>
    public static async Task RequireFacilitatorAsync(IGrainFactory grains, Guid circleId, string memberId)
    {
        var circle = await grains.GetGrain<ICircleGrain>(circleId).GetDetailsAsync(memberId);
        if (circle.Role != CircleRole.Facilitator)
            throw new CircleAccessDeniedException(ServerText.Get("AccessLog.FacilitatorsOnly"));
    }

    private static List<AccessLogEntryResponse> Respond(IReadOnlyList<AccessLogEntry> entries, string viewerId) =>
        entries.Select(e => new AccessLogEntryResponse(e.Id, e.At, e.Action, AccessLogText.Describe(e, viewerId), e.ActorName,
            e.CircleId, e.CircleName, e.SubjectName, e.Detail)).ToList();
}
