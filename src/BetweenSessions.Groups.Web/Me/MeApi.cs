using System.Security.Claims;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Runtime;
using BetweenSessions.Groups.Web.Accounts;

namespace BetweenSessions.Groups.Web.Me;

/// <summary>A person's own data (GET /api/me/export, DELETE /api/me/entries) and leaving a circle.</summary>
internal static class MeApi
{
    public static IServiceCollection AddGroupsMe(this IServiceCollection services) => services.AddScoped<MyData>();

    public static IEndpointRouteBuilder MapMeApi(this IEndpointRouteBuilder endpoints)
    {
        var me = endpoints.MapGroup("api/me").WithTags("Me").RequireAuthorization(AccountsExtensions.ApiPolicy);
        me.MapGet("export", async (ClaimsPrincipal user, MyData data, CancellationToken ct) =>
            TypedResults.File(await data.ExportFileAsync(user.MemberId(), ct), "application/json", MyData.ExportFileName));
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
