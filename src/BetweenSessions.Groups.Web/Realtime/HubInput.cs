using System.Text.Json;
using BetweenSessions.Groups.Web.Localization;
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
            : throw new HubException(ServerText.Get("Hub.CircleId"));

    public static long Seq(JsonElement value, string name) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var seq) && seq >= 0
            ? seq
            : throw new HubException(ServerText.Format("Hub.Seq", name));

    public static int Count(JsonElement value, string name, int max) =>
        value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var count) && count >= 1 && count <= max
            ? count
            : throw new HubException(ServerText.Format("Hub.Count", name, max));

    /// <summary>A member id where one is optional: null means the caller.</summary>
    public static string? OptionalMemberId(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.Null => null,
        JsonValueKind.String when !string.IsNullOrWhiteSpace(value.GetString()) => value.GetString(),
        _ => throw new HubException(ServerText.Get("Hub.MemberId")),
    };

    public static T Entry<T>(JsonElement value, string method)
    {
        if (value.ValueKind != JsonValueKind.Object)
            throw new HubException(ServerText.Format("Hub.Arguments", method));
        try
        {
            return value.Deserialize<T>(Options) ?? throw new HubException(ServerText.Format("Hub.Object", method));
        }
        catch (JsonException ex)
        {
            var field = ex.Path is { Length: > 2 } path ? path[2..] : ServerText.Get("Hub.AField");
            throw new HubException(ServerText.Format("Hub.WrongType", method, field));
        }
    }
}
