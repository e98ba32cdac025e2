using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// The one wire shape of an event, shared by the hub, replay and REST:
/// { circleId, seq, eventId, type, at, memberId, displayName, visibility, ...payload }.
/// </summary>
public static class CircleEventWire
{
    public static JsonObject ToWire(CircleEvent e)
    {
        var wire = new JsonObject
        {
            ["circleId"] = e.CircleId,
            ["seq"] = e.Seq,
            ["eventId"] = e.EventId,
            ["type"] = e.Type,
            ["at"] = e.At,
            ["memberId"] = e.MemberId,
            ["displayName"] = e.DisplayName,
            ["visibility"] = e.Visibility.ToWire(),
        };
        // A tombstone keeps only a digest of its client event id, for its author's resends; it means nothing to others.
        if (e.ClientEventId is not null && e.Type != EventTypes.Removed) wire["clientEventId"] = e.ClientEventId;
        if (JsonNode.Parse(e.PayloadJson) is JsonObject payload)
        {
            foreach (var (name, value) in payload.ToList())
            {
                payload.Remove(name);
                // The envelope wins: a payload can never pass itself off as another author or audience.
                wire.TryAdd(name, value);
            }
        }
        return wire;
    }
}
