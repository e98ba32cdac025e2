using System.Text.Encodings.Web;
using System.Text.Json;

namespace BetweenSessions.Groups.Contracts.Circles;

/// <summary>How an entry's payload is written to the log.</summary>
public static class EventPayload
{
    // Relaxed escaping: payloads are stored and sent as JSON, never pasted into HTML, and the default encoder would
    // write every non-Latin letter as six characters, so a reflection in Cyrillic would outgrow its column.
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static string Serialize(object payload) => JsonSerializer.Serialize(payload, Options);

    /// <summary>A Guid field of a stored payload, or null whatever else is there.</summary>
    public static Guid? GuidField(string payloadJson, string name)
    {
        try
        {
            using var document = JsonDocument.Parse(payloadJson);
            return document.RootElement.ValueKind == JsonValueKind.Object
                   && document.RootElement.TryGetProperty(name, out var value)
                   && value.ValueKind == JsonValueKind.String && Guid.TryParse(value.GetString(), out var id)
                ? id
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A stored payload read as <typeparamref name="T"/> (camelCase, as written), or null if it is not one.</summary>
    public static T? Read<T>(string payloadJson) where T : class
    {
        try
        {
            return JsonSerializer.Deserialize<T>(payloadJson, Options);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
