using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Web.Me;

/// <summary>
/// A person's own measure entries in one circle, for their export, in words they can read without the product: the
/// measure's name and items beside each answer as given, what it read as then, and their choices and pulses. Built
/// from their own entries only, so it can never hold anyone else's answers.
/// </summary>
internal static class MyMeasures
{
    /// <summary>
    /// One object per measure they chose or answered, in the order they first did: their choices, then their answers,
    /// oldest first. The definition (<paramref name="offered"/>) only names things; a measure no longer kept by the
    /// circle still lists what they gave, by its id.
    /// </summary>
    public static JsonArray Measures(IReadOnlyList<CircleEvent> authored, IReadOnlyList<OfferedMeasure> offered)
    {
        var own = authored.Where(e => e.Type is EventTypes.MeasureOptedIn or EventTypes.MeasureStopped or EventTypes.MeasureAnswered)
            .OrderBy(e => e.Seq)
            .Select(e => (Event: e, MeasureId: e.Type == EventTypes.MeasureAnswered
                ? EventPayload.Read<MeasureAnsweredPayload>(e.PayloadJson)?.MeasureId
                : EventPayload.Read<MeasureChoicePayload>(e.PayloadJson)?.MeasureId))
            .Where(e => e.MeasureId is not null)
            .ToList();
        var measures = new JsonArray();
        foreach (var group in own.GroupBy(e => e.MeasureId!.Value))
        {
            var measure = offered.FirstOrDefault(m => m.MeasureId == group.Key);
            var choices = new JsonArray();
            var answers = new JsonArray();
            foreach (var (e, _) in group)
            {
                if (e.Type == EventTypes.MeasureAnswered)
                {
                    if (EventPayload.Read<MeasureAnsweredPayload>(e.PayloadJson) is { } answer) answers.Add(Answer(e, answer, measure?.Definition));
                }
                else if (EventPayload.Read<MeasureChoicePayload>(e.PayloadJson) is { } choice)
                {
                    choices.Add(new JsonObject
                    {
                        ["at"] = e.At,
                        ["choice"] = e.Type == EventTypes.MeasureOptedIn ? "opted-in" : "stopped",
                        ["sharedWithFacilitators"] = choice.ShareWithFacilitators,
                    });
                }
            }
            measures.Add(new JsonObject
            {
                ["measureId"] = group.Key,
                ["name"] = measure?.Definition.Name,
                ["everyDays"] = measure?.EveryDays,
                ["retiredAt"] = measure?.RetiredAt,
                ["choices"] = choices,
                ["answers"] = answers,
            });
        }
        return measures;
    }

    /// <summary>Their session pulses, oldest first: each question as they answered it (null: skipped) and their word.</summary>
    public static JsonArray Pulses(IReadOnlyList<CircleEvent> authored) =>
        new(authored.Where(e => e.Type == EventTypes.SessionPulse).OrderBy(e => e.Seq)
            .Select(e => (Event: e, Pulse: EventPayload.Read<SessionPulsePayload>(e.PayloadJson)))
            .Where(p => p.Pulse is not null)
            .Select(p => (JsonNode?)new JsonObject
            {
                ["session"] = p.Pulse!.Session,
                ["at"] = p.Event.At,
                ["heard"] = p.Pulse.Heard,
                ["safe"] = p.Pulse.Safe,
                ["mattered"] = p.Pulse.Mattered,
                ["word"] = p.Pulse.Word,
            }).ToArray());

    private static JsonObject Answer(CircleEvent e, MeasureAnsweredPayload answer, MeasureDefinition? definition)
    {
        var items = new JsonArray();
        var given = answer.Answers ?? [];
        for (var i = 0; i < given.Count; i++)
        {
            var value = given[i];
            items.Add(new JsonObject
            {
                ["item"] = definition?.Items.ElementAtOrDefault(i)?.Text,
                ["answer"] = value,
                // The clinic's words for the step they chose, so the number reads as they saw it.
                ["label"] = value is { } v ? definition?.Scale.FirstOrDefault(o => o.Value == v)?.Label : null,
                ["skipped"] = value is null,
            });
        }
        return new JsonObject
        {
            ["at"] = e.At,
            ["notThisWeek"] = answer.NotThisWeek,
            ["items"] = items,
            // Only when every item was answered, as it was shown to them then; never computed afresh.
            ["score"] = answer.Score,
            ["band"] = answer.Band,
        };
    }
}
