using System.Text.Json;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;

namespace BetweenSessions.Groups.Data;

/// <summary>A circle's settings in its row: the archive date as a column, the rest as one JSON text.</summary>
internal static class FacilitationColumns
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    private sealed record Settings(
        IReadOnlyList<CrisisContact>? CrisisResources, IReadOnlyList<string>? RoundPrompts, IReadOnlyList<string>? SeatingOrder,
        SessionSchedule? Schedule = null, IReadOnlyList<AlertAcknowledgement>? Acknowledged = null,
        IReadOnlyList<OfferedMeasure>? Measures = null);

    public static string? Json(CircleFacilitation? facilitation) =>
        facilitation is null || facilitation is { CrisisResources: null, RoundPrompts: null, SeatingOrder: null, Schedule: null, Acknowledged: null, Measures: null }
            ? null
            : JsonSerializer.Serialize(new Settings(facilitation.CrisisResources, facilitation.RoundPrompts, facilitation.SeatingOrder,
                facilitation.Schedule, facilitation.Acknowledged, facilitation.Measures), Options);

    public static CircleFacilitation? Read(DateTimeOffset? archivedAt, string? json)
    {
        if (archivedAt is null && json is null) return null;
        var settings = json is null ? null : JsonSerializer.Deserialize<Settings>(json, Options);
        return new CircleFacilitation(archivedAt, settings?.CrisisResources, settings?.RoundPrompts, settings?.SeatingOrder, settings?.Schedule,
            settings?.Acknowledged, settings?.Measures);
    }
}
