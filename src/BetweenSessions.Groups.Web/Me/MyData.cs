using BetweenSessions.Groups.Contracts.Audit;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Domain;
using Microsoft.AspNetCore.Identity;

namespace BetweenSessions.Groups.Web.Me;

/// <summary>
/// What a person can take with them or erase: their account, their settings and every entry they wrote, in every
/// circle they are or were in, their measure answers, choices and pulses also in words of their own (<see cref="MyMeasures"/>).
/// Only ever their own entries, never anyone else's (not even answers to them).
/// </summary>
public sealed class MyData(
    UserManager<GroupsUser> users, ICircleDirectory directory, ICircleStore store, IGrainFactory grains, IAccessLog accessLog, TimeProvider clock)
{
    public const string ExportFileName = "betweensessions-my-data.json";

    public async Task<JsonObject> ExportAsync(string memberId, CancellationToken ct = default)
    {
        var user = await users.FindByIdAsync(memberId);
        var settings = await grains.GetGrain<IMemberSettingsGrain>(memberId).GetAsync();
        var audiences = await grains.GetGrain<IMemberSettingsGrain>(memberId).GetAudiencesAsync();
        var push = await grains.GetGrain<IMemberSettingsGrain>(memberId).GetPushAsync();
        var authored = await directory.ListAuthoredAsync(memberId, ct);
        var reminders = await grains.GetGrain<ICueReminderGrain>(memberId).ListAsync();
        var circles = new JsonArray();
        foreach (var circle in authored.GroupBy(a => a.Event.CircleId))
        {
            var entries = new JsonArray();
            foreach (var e in circle.Select(a => a.Event))
            {
                entries.Add(new JsonObject
                {
                    ["type"] = e.Type,
                    ["at"] = e.At,
                    ["visibility"] = e.Visibility.ToWire(),
                    ["payload"] = JsonNode.Parse(e.PayloadJson),
                });
            }
            var own = circle.Select(a => a.Event).ToList();
            // The measure's words are the circle's settings, read from its row: someone who left the circle can no
            // longer ask its grain, and their answers are still theirs to read.
            IReadOnlyList<OfferedMeasure> offered = own.Any(e => e.Type is EventTypes.MeasureOptedIn or EventTypes.MeasureStopped or EventTypes.MeasureAnswered)
                ? (await store.LoadAsync(circle.Key, ct))?.Facilitation?.Measures ?? []
                : [];
            var circleEntry = new JsonObject
            {
                ["circleId"] = circle.Key,
                ["name"] = circle.First().CircleName,
                ["entries"] = entries,
                ["measures"] = MyMeasures.Measures(own, offered),
                ["pulses"] = MyMeasures.Pulses(own),
            };
            circles.Add(circleEntry);
        }
        return new JsonObject
        {
            ["exportedAt"] = clock.GetUtcNow(),
            ["account"] = new JsonObject { ["email"] = user?.Email, ["displayName"] = user?.DisplayName },
            ["settings"] = JsonSerializer.SerializeToNode(new
            {
                lighterWeek = settings.LighterWeek,
                quietFrom = settings.QuietFrom,
                quietTo = settings.QuietTo,
                timeZoneId = settings.TimeZoneId,
                pauseAllNudges = settings.PauseAllNudges,
                // Where each kind of entry starts out shared; null: asked each time.
                audiences = new
                {
                    checkIn = audiences.CheckIn?.ToWire(),
                    win = audiences.Win?.ToWire(),
                    commitment = audiences.Commitment?.ToWire(),
                },
                // The kinds of nudge they asked to get as push notifications (devices' addresses are not theirs to keep).
                pushNotifications = PushChoices.Kinds.Where(push.For).ToArray(),
            }),
            // Which commitments remind them: their own private choice, so theirs to take along too.
            ["cueReminders"] = new JsonArray(reminders.Select(id => (JsonNode?)JsonValue.Create(id)).ToArray()),
            ["circles"] = circles,
            // Who opened or changed what is theirs, and their sign-ins: about them, so theirs to see in full.
            ["accessLog"] = JsonSerializer.SerializeToNode(await accessLog.ReadAboutAsync(memberId, null, 200, ct: ct), Web),
        };
    }

    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    public async Task<byte[]> ExportFileAsync(string memberId, CancellationToken ct = default)
    {
        var file = JsonSerializer.SerializeToUtf8Bytes(await ExportAsync(memberId, ct), new JsonSerializerOptions { WriteIndented = true });
        await accessLog.AppendAsync([new AccessRecord(memberId, AccessActions.ExportedData)], ct);
        return file;
    }

    /// <summary>
    /// Erases every entry the person wrote, circle by circle through each circle's grain (which tells open pages and
    /// apps). Their current circles are visited too, even with nothing left of theirs, so that a repeat also clears
    /// copies of their words that appeared since. Safe to repeat; an interrupted erase is finished by the next one.
    /// </summary>
    public async Task EraseEntriesAsync(string memberId, CancellationToken ct = default)
    {
        var authored = await directory.ListAuthoredAsync(memberId, ct);
        var reminders = await grains.GetGrain<ICueReminderGrain>(memberId).ListAsync();
        var current = await directory.ListForMemberAsync(memberId, ct);
        foreach (var circleId in authored.Select(a => a.Event.CircleId).Concat(current.Select(c => c.CircleId)).Distinct())
            await grains.GetGrain<ICircleGrain>(circleId).EraseAuthoredAsync(memberId);
    }
}
