using System.Security.Claims;
using BetweenSessions.Groups.Web.Accounts;

namespace BetweenSessions.Groups.Web.Me;

/// <summary>A person's own data (GET /api/me/export, DELETE /api/me/entries, GET /api/me/nudges) and leaving a circle.</summary>
internal static class MeApi
{
    public static IServiceCollection AddGroupsMe(this IServiceCollection services) => services.AddScoped<MyData>();

    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder endpoints)
    {
        var me = endpoints.MapGroup("api/me").WithTags("Me").RequireAuthorization(AccountsExtensions.ApiPolicy);
        me.MapGet("export", async (ClaimsPrincipal user, MyData data, CancellationToken ct) =>
            TypedResults.File(await data.ExportFileAsync(user.MemberId(), ct), "application/json", MyData.ExportFileName));
        // The nudges still worth seeing, newest first: what the Nudges page lists, for apps.
        me.MapGet("nudges", async (ClaimsPrincipal user, IGrainFactory grains) =>
            TypedResults.Ok(await grains.GetGrain<INudgeGrain>(user.MemberId()).ListAsync()));
        me.MapDelete("entries", async (ClaimsPrincipal user, MyData data, CancellationToken ct) =>
        {
            await data.EraseEntriesAsync(user.MemberId(), ct);
            return TypedResults.NoContent();
        });

        endpoints.MapPost("api/circles/{circleId:guid}/leave", async (Guid circleId, ClaimsPrincipal user, IGrainFactory grains) =>
            {
                await grains.GetGrain<ICircleGrain>(circleId).LeaveAsync(user.MemberId());
                return TypedResults.NoContent();
            })
            .WithTags("Circles").RequireAuthorization(AccountsExtensions.ApiPolicy);
        return endpoints;
    }
}
