using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Runtime;
using BetweenSessions.Groups.Web.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

public sealed record CheckInRequest(
    string? ClientEventId, string? Capacity, IReadOnlyList<string>? Feelings, string? Note, string? Visibility);

public sealed record JoinCircleResponse(
    Guid CircleId, string Role, long LastSeq, IReadOnlyList<MemberPresence> Members,
    IReadOnlyList<JsonObject> Events, bool HasMore);

public sealed record MemberPresence(string MemberId, string DisplayName, string Role, bool Present);

public sealed record EventAck(Guid EventId, long Seq);

/// <summary>
/// The real-time API at /hubs/circles. Every method asks the circle's grain, which checks membership and role;
/// the hub only maps people to SignalR groups so each event reaches exactly its audience.
/// </summary>
[Authorize(Policy = AccountsExtensions.ApiPolicy)]
public sealed class CircleHub(IGrainFactory grains, CircleHubRelay relay) : Hub
{
    private const int JoinPageSize = 100;

    public async Task<JoinCircleResponse> JoinCircle(Guid circleId, long afterSeq)
    {
        var memberId = MemberId;
        var circle = grains.GetGrain<ICircleGrain>(circleId);
        var details = await circle.GetDetailsAsync(memberId);

        // Groups and the relay come first, so nothing stored after the replay below can slip between the two.
        foreach (var group in CircleGroups.For(circleId, memberId, details.Role))
            await Groups.AddToGroupAsync(Context.ConnectionId, group);
        if (JoinedCircles.Add(circleId)) await relay.WatchAsync(circleId);

        var present = await circle.ConnectAsync(memberId, Context.ConnectionId);
        var page = await circle.ReadEventsAsync(memberId, afterSeq, JoinPageSize);
        return new JoinCircleResponse(circleId, details.Role.ToWire(), details.LastSeq,
            details.Members.Select(m => new MemberPresence(m.MemberId, m.DisplayName, m.Role.ToWire(), present.Contains(m.MemberId))).ToList(),
            page.Events.Select(CircleEventWire.ToWire).ToList(), page.HasMore);
    }

    public async Task<EventAck> CheckIn(Guid circleId, CheckInRequest request)
    {
        if (request is null) throw new HubException("A check-in needs a body: { capacity, feelings?, note?, visibility }.");
        var draft = new CheckInDraft(request.ClientEventId, request.Capacity, request.Feelings, request.Note, request.Visibility);
        var receipt = await grains.GetGrain<ICircleGrain>(circleId).CheckInAsync(MemberId, draft);
        return new EventAck(receipt.EventId, receipt.Seq);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        foreach (var circleId in JoinedCircles)
        {
            await grains.GetGrain<ICircleGrain>(circleId).DisconnectAsync(MemberId, Context.ConnectionId);
            await relay.UnwatchAsync(circleId);
        }
        await base.OnDisconnectedAsync(exception);
    }

    private string MemberId => Context.User!.MemberId();

    /// <summary>The circles this connection joined; a hub runs one invocation per connection at a time.</summary>
    private HashSet<Guid> JoinedCircles
    {
        get
        {
            if (!Context.Items.TryGetValue(nameof(JoinedCircles), out var circles))
                Context.Items[nameof(JoinedCircles)] = circles = new HashSet<Guid>();
            return (HashSet<Guid>)circles!;
        }
    }
}

/// <summary>Names of the SignalR groups that carry each audience of a circle.</summary>
public static class CircleGroups
{
    public static string Everyone(Guid circleId) => $"circle:{circleId:N}";

    public static string Facilitators(Guid circleId) => $"circle:{circleId:N}:facilitators";

    public static string Member(Guid circleId, string memberId) => $"circle:{circleId:N}:member:{memberId}";

    public static IEnumerable<string> For(Guid circleId, string memberId, CircleRole role)
    {
        yield return Everyone(circleId);
        yield return Member(circleId, memberId);
        if (role == CircleRole.Facilitator) yield return Facilitators(circleId);
    }

    /// <summary>The groups an event goes to; SignalR sends once per connection even when groups overlap.</summary>
    public static IReadOnlyList<string> Audience(CircleEvent e) => e.Visibility switch
    {
        Visibility.Circle => [Everyone(e.CircleId)],
        Visibility.Facilitators => [Facilitators(e.CircleId), Member(e.CircleId, e.MemberId)],
        _ => [Member(e.CircleId, e.MemberId)],
    };
}
