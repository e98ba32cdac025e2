using System.Text.Json;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>Reads the fields of an event's payload (the anonymous objects CircleGrain stores with Grains.Circles.EventPayload), tolerating any shape.</summary>
public static class EventFields
{
    public static string? Text(this CircleEvent e, string name) =>
        Root(e) is { } root && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static Guid? Id(this CircleEvent e, string name) =>
        Guid.TryParse(e.Text(name), out var id) ? id : null;

    public static bool Flag(this CircleEvent e, string name) =>
        Root(e) is { } root && root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private static JsonElement? Root(CircleEvent e)
    {
        try
        {
            var root = JsonDocument.Parse(e.PayloadJson).RootElement;
            return root.ValueKind == JsonValueKind.Object ? root.Clone() : null;
        }
        catch (JsonException) { return null; }
    }

    // The words for outcomes, acknowledgements and the rest are in EntryWords, per language.
}
