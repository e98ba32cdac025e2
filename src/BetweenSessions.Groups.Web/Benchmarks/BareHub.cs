using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Realtime;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Benchmarks;

/// <summary>
/// The baseline of the load benchmark (benchmark mode only, at /hubs/bench): the same sign-in, argument reading,
/// validation and wire shape as <see cref="CircleHub"/>'s CheckIn, broadcast straight to the circle's group. No grain,
/// no membership check, no storage, no relay: what is left is SignalR itself, so the durable hub's throughput can be
/// stated as a share of it.
/// </summary>
[Authorize(Policy = AccountsExtensions.ApiPolicy)]
internal sealed class BareHub(BareHubSequence sequence) : Hub
{
    public async Task<object> JoinCircle(JsonElement circleId)
    {
        var id = HubInput.CircleId(circleId);
        await Groups.AddToGroupAsync(Context.ConnectionId, CircleGroups.Everyone(id));
        return new { circleId = id };
    }

    public async Task<EventAck> CheckIn(JsonElement circleId, JsonElement entry)
    {
        var id = HubInput.CircleId(circleId);
        var checkIn = HubInput.Entry<CheckInDraft>(entry, nameof(CheckIn)).Validate();
        var memberId = Context.User!.MemberId();
        var circleEvent = new CircleEvent(id, sequence.Next(id), Guid.NewGuid(), EventTypes.CheckIn, DateTimeOffset.UtcNow,
            memberId, "Member", checkIn.Visibility, checkIn.ClientEventId,
            EventPayload.Serialize(new { capacity = checkIn.Capacity, feelings = checkIn.Feelings, note = checkIn.Note }));
        await Clients.Group(CircleGroups.Everyone(id)).SendAsync("circleEvent", CircleEventWire.ToWire(circleEvent));
        return new EventAck(circleEvent.EventId, circleEvent.Seq);
    }
}

/// <summary>Per-circle sequence numbers of the bare hub, held in memory only.</summary>
internal sealed class BareHubSequence
{
    private readonly ConcurrentDictionary<Guid, StrongBox<long>> _last = new();

    public long Next(Guid circleId) => Interlocked.Increment(ref _last.GetOrAdd(circleId, _ => new StrongBox<long>()).Value);
}
