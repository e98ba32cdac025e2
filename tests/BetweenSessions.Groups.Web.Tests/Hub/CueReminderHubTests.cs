using System.Text.Json.Nodes;
using BetweenSessions.Groups.Contracts.Commitments;
using Orleans;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// A commitment's cue time and each person's private reminder choice over a real socket with the npm client
/// (tests/hub-client/cue-reminder.mjs): who may turn it on, the refusals they see, and that the choice never shows.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class CueReminderHubTests(GroupsAppFixture app)
{
    [Fact]
    public async Task A_cue_time_is_part_of_the_commitment_and_remind_me_stays_with_the_person_who_asked()
    {
        var (facilitator, maker, peer, outsider) =
            (await app.RegisterAsync("cora"), await app.RegisterAsync("dev"), await app.RegisterAsync("eli"), await app.RegisterAsync("fin"));
        var circle = await facilitator.CircleWithMembersAsync(maker, peer);
        var members = (await facilitator.CircleAsync(circle.CircleId)).Members.ToDictionary(m => m.DisplayName, m => m.MemberId);

        var result = await new HubScripts(app).RunAsync<CueScript>("cue-reminder.mjs",
            People(("facilitator", facilitator), ("maker", maker), ("peer", peer), ("outsider", outsider)), circle.CircleId);

        Refused(result.Refused["badTime"], "Give the cue's time as hours and minutes, 24-hour, such as 08:00 or 19:30.", "a time in words");
        Refused(result.Refused["remindWithoutTime"], "A reminder needs a time for the cue, such as 08:00.", "remind me without a time");
        Refused(result.Refused["timeOfWrongType"], "MakeCommitment: cueTime has the wrong type; see docs/realtime-api.md.", "a number");
        Refused(result.Refused["joinUntimedWithReminder"], "This commitment's cue has no time, so there is no moment to remind you of it.", "joining");
        Refused(result.Refused["outsider"], "You are not a member of this circle.", "an outsider");
        Refused(result.Refused["notPractising"], "Join this commitment first to be reminded of it.", "someone who does not practise it");
        Refused(result.Refused["unknownCommitment"], "There is no such commitment in this circle.", "an unknown commitment");
        Refused(result.Refused["untimed"], "This commitment's cue has no time, so there is no moment to remind you of it.", "no time");
        Refused(result.Refused["missingChoice"], "Say whether to remind you: remindMe true or false.", "no choice");
        Refused(result.Refused["notAnObject"], "SetCommitmentReminder takes the circle id and one JSON object; see docs/realtime-api.md.", "not an object");

        // Stored as "08:00", whoever typed "8:00"; the event carries the time and nothing of the choice.
        Assert.Equal("08:00", (string?)result.MadeEvent["cueTime"]);
        Assert.Equal(["commitmentId", "cue", "cueTime", "practice", "size"],
            result.MadeEvent.Fields().Except(["at", "circleId", "clientEventId", "displayName", "eventId", "memberId", "seq", "type", "visibility"]));
        foreach (var events in result.Received.Values)
        {
            Assert.All(events, e => Assert.DoesNotContain("remind", e.ToJsonString(), StringComparison.OrdinalIgnoreCase));
            // Only the writes of the scenario were pushed: makes, the join and the sentinel; no event for a choice.
            Assert.Equal(["commitment-made", "commitment-made", "commitment-joined", "check-in"],
                events.Where(e => e.Seq() > result.MadeEvent.Seq() - 1).Select(e => e.Type()));
        }
        Assert.Equal((result.CommitmentId, false), (result.Acks["peerOff"].CommitmentId, result.Acks["peerOff"].RemindMe));
        Assert.Equal((result.CommitmentId, true), (result.Acks["peerOnAgain"].CommitmentId, result.Acks["peerOnAgain"].RemindMe));

        var grains = app.Services.GetRequiredService<IGrainFactory>();
        Assert.Equal([result.CommitmentId], await grains.GetGrain<ICueReminderGrain>(members["eli"]).ListAsync());
        Assert.Empty(await grains.GetGrain<ICueReminderGrain>(members["dev"]).ListAsync()); // turned off at the end
        Assert.Empty(await grains.GetGrain<ICueReminderGrain>(members["cora"]).ListAsync());
    }

    private sealed record ReminderAck(Guid CommitmentId, bool RemindMe);

    private sealed record CueScript(
        Dictionary<string, Attempt<JsonNode>> Refused, JsonObject MadeEvent, Guid CommitmentId, Guid UntimedId,
        Dictionary<string, ReminderAck> Acks, Dictionary<string, List<JsonObject>> Received, long SentinelSeq);
}
