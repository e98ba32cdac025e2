using System.Security.Claims;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Localization;
using BetweenSessions.Groups.Web.Realtime;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BetweenSessions.Groups.Web.Circles;

public sealed record CreateCircleRequest(string? Name, string? DisplayName);

public sealed record JoinCircleRequest(string? InviteCode, string? DisplayName);

public sealed record CircleResponse(Guid CircleId, string Name, string Role, string? InviteCode);

public sealed record MyCircleResponse(Guid CircleId, string Name, string Role, DateTimeOffset JoinedAt);

public sealed record CircleDetailsResponse(
    Guid CircleId, string Name, string Role, string? InviteCode, long LastSeq, IReadOnlyList<MemberResponse> Members);

public sealed record MemberResponse(string MemberId, string DisplayName, string Role);

public sealed record EventPageResponse(IReadOnlyList<System.Text.Json.Nodes.JsonObject> Events, bool HasMore);

internal static class CirclesApi
{
    public static IEndpointRouteBuilder MapCirclesApi(this IEndpointRouteBuilder endpoints)
    {
        var circles = endpoints.MapGroup("api/circles").WithTags("Circles").RequireAuthorization(AccountsExtensions.ApiPolicy);
        circles.MapPost("", CreateAsync);
        circles.MapPost("join", JoinAsync);
        circles.MapGet("", ListMineAsync);
        circles.MapGet("{circleId:guid}", GetAsync);
        circles.MapGet("{circleId:guid}/events", ReadEventsAsync);
        return endpoints;
    }

    private static async Task<Results<Created<CircleResponse>, ProblemHttpResult>> CreateAsync(
        CreateCircleRequest request, ClaimsPrincipal user, IGrainFactory grains, UserDisplayNames names, FacilitatorSignIn facilitatorRule)
    {
        // Starting a circle makes the caller its facilitator (Accounts:RequireStrongSignInForFacilitators).
        if (!facilitatorRule.Allows(user))
            return TypedResults.Problem(FacilitatorSignIn.Refusal, statusCode: StatusCodes.Status403Forbidden, title: ServerText.Get("Problem.StrongSignIn"));
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? await names.DefaultForAsync(user) : request.DisplayName;
        var circleId = Guid.NewGuid();
        var circle = await grains.GetGrain<ICircleGrain>(circleId).CreateAsync(user.MemberId(), displayName, request.Name ?? "");
        return TypedResults.Created($"/api/circles/{circleId}", ToResponse(circle));
    }

    private static async Task<Ok<CircleResponse>> JoinAsync(
        JoinCircleRequest request, ClaimsPrincipal user, CircleInvitations invitations, UserDisplayNames names)
    {
        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? await names.DefaultForAsync(user) : request.DisplayName;
        var circle = await invitations.JoinAsync(user.MemberId(), displayName, request.InviteCode);
        return TypedResults.Ok(ToResponse(circle));
    }

    private static async Task<Ok<List<MyCircleResponse>>> ListMineAsync(ClaimsPrincipal user, ICircleDirectory directory)
    {
        var mine = await directory.ListForMemberAsync(user.MemberId());
        return TypedResults.Ok(mine.Select(c => new MyCircleResponse(c.CircleId, c.Name, c.Role.ToWire(), c.JoinedAt)).ToList());
    }

    private static async Task<Ok<CircleDetailsResponse>> GetAsync(Guid circleId, ClaimsPrincipal user, IGrainFactory grains)
    {
        var circle = await grains.GetGrain<ICircleGrain>(circleId).GetDetailsAsync(user.MemberId());
        return TypedResults.Ok(new CircleDetailsResponse(circle.CircleId, circle.Name, circle.Role.ToWire(), circle.InviteCode,
            circle.LastSeq, circle.Members.Select(m => new MemberResponse(m.MemberId, m.DisplayName, m.Role.ToWire())).ToList()));
    }

    private static async Task<Ok<EventPageResponse>> ReadEventsAsync(
        Guid circleId, ClaimsPrincipal user, IGrainFactory grains, long afterSeq = 0, int max = 100)
    {
        var page = await grains.GetGrain<ICircleGrain>(circleId).ReadEventsAsync(user.MemberId(), afterSeq, max);
        return TypedResults.Ok(new EventPageResponse(page.Events.Select(CircleEventWire.ToWire).ToList(), page.HasMore));
    }

    private static CircleResponse ToResponse(CircleDetails circle) =>
        new(circle.CircleId, circle.Name, circle.Role.ToWire(), circle.InviteCode);
}
