using System.Text.Json;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// Reads hub arguments ourselves: SignalR's own binding failure only says "an error on the server", while a client
/// author needs to know which field was wrong. Unknown properties are ignored, so clients can be newer than us.
/// </summary>
internal static class HubInput
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static Guid CircleId(JsonElement value) =>
        value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id)
            ? id
            : throw new HubException("circleId must be the circle's id, a GUID string.");

    public static long Seq(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seq) && seq >= 0
            ? seq
            : throw new HubException($"{name} must be a whole number, 0 or more (0 means from the start).");

    public static T Entry<T>(JsonElement value, string method)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new HubException($"{method} takes the circle id and one JSON object; see docs/realtime-api.md.");
        try
        {
            return value.Deserialize<T>(Options) ?? throw new HubException($"{method} needs a JSON object.");
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path[2..] : "a field";
            throw new HubException($"{method}: {field} has the wrong type; see docs/realtime-api.md.");
        }
    }
}
