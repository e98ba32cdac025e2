using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Accounts;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// Measures a person chooses, over the real hub (docs/realtime-api.md, "Measures"), driven by
/// tests/hub-client/measures.mjs: a measure made up for the test (three items on a 0-3 scale, one scored the other way
/// round, one safety item from 2; two bands), a member who shares their trend with the facilitators, one who keeps it to
/// themselves, and another member. The session pulse is answered for a session that ended ten minutes before, set
/// through SetSessionSchedule with the real clock, so no clock needs moving.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class MeasuresHubTests(GroupsAppFixture app)
{
    private const string F = "facilitator", Sharer = "sharer", Keeper = "keeper", Other = "other";
    private static readonly string[] Listeners = [F, Sharer, Keeper, Other];

    [Fact]
    public async Task Answers_come_back_with_the_members_own_score_and_band_only_when_every_item_was_answered()
    {
        var run = await RunAsync();
        var answers = run.Script.Answers;

        // 1 + (3 - 1, the item scored the other way round) + 0.
        Assert.Equal((3, "lighter", false), ((int?)answers["full"]["score"], (string?)answers["full"]["band"], (bool)answers["full"]["needsSupportNow"]!));
        Assert.Empty(answers["full"]["resources"]!.AsArray());
        Assert.Null(answers["full"]["supportRequestEventId"]);
        // A total with a skipped item would read lower than the person meant: no score, never a zero.
        Assert.Null(answers["skipped"]["score"]);
        Assert.Null(answers["skipped"]["band"]);
        // "Not this week" is a full answer, stored like any other, with nothing to score.
        Assert.True(answers["notThisWeek"].Guid("eventId") != Guid.Empty);
        Assert.Null(answers["notThisWeek"]["score"]);
        Assert.False((bool)answers["notThisWeek"]["needsSupportNow"]!);
        Assert.Equal(["band", "eventId", "needsSupportNow", "resources", "score", "seq", "supportRequestEventId"], answers["full"].Fields());
    }

    [Fact]
    public async Task A_safety_answer_brings_the_crisis_resources_and_reaches_the_facilitators_live_as_a_support_request()
    {
        var run = await RunAsync();
        var safety = run.Script.Answers["safety"];

        Assert.Equal((6, "heavier", true), ((int?)safety["score"], (string?)safety["band"], (bool)safety["needsSupportNow"]!));
        var resources = safety["resources"]!.AsArray().Select(r => (string)r!["name"]!).ToList();
        Assert.Equal(["Emergency services", "Find a helpline"], resources); // the reader's language (English here)

        var request = run.Script.SupportAtFacilitator;
        Assert.Equal(safety.Guid("supportRequestEventId"), request.Guid("eventId"));
        Assert.Equal(("support-requested", "facilitators", run.Script.Ids[Sharer]), (request.Type(), (string)request["visibility"]!, (string)request["memberId"]!));
        Assert.Equal(("measure", "Week at a glance"), ((string)request["source"]!, (string)request["measureName"]!));
        Assert.Null(request["note"]);
        // It says where it came from and nothing of the answers: the member decides what to say.
        Assert.Equal(["at", "circleId", "displayName", "eventId", "measureName", "memberId", "note", "seq", "source", "type", "visibility"],
            request.Fields());
        Assert.DoesNotContain(run.Script.Live[Other], e => e.Type() == "support-requested");
        Assert.DoesNotContain(run.Script.Live[Keeper], e => e.Type() == "support-requested" && (string)e["memberId"]! != run.Script.Ids[Keeper]);
    }

    [Fact]
    public async Task A_safety_answer_to_a_measure_kept_private_still_reaches_the_facilitators_and_brings_resources_in_the_answerers_language()
    {
        var run = await RunAsync();
        var safety = run.Script.Answers["keeperSafety"];

        Assert.True((bool)safety["needsSupportNow"]!);
        Assert.Equal(["Servicios de emergencia", "Encuentra una línea de ayuda"], safety["resources"]!.AsArray().Select(r => (string)r!["name"]!));
        var request = run.Script.KeeperSupportAtFacilitator;
        Assert.Equal((run.Script.Ids[Keeper], "facilitators", "measure"), ((string)request["memberId"]!, (string)request["visibility"]!, (string)request["source"]!));
        Assert.Equal(run.Script.SupportAtFacilitator.Fields(), request.Fields());
        // The request is all they learn: the measure stays out of the facilitator's view of this member.
        Assert.DoesNotContain(run.Script.Live[F], e => e.Type() is "measure-answered" or "measure-opted-in" && (string)e["memberId"]! == run.Script.Ids[Keeper]);
    }

    [Fact]
    public async Task A_safety_answer_sent_again_gets_its_reading_back_and_raises_no_second_request()
    {
        var run = await RunAsync();
        var (first, again) = (run.Script.Answers["safety"], run.Script.Answers["safetyResent"]);

        Assert.Equal((first.Guid("eventId"), first.Seq()), (again.Guid("eventId"), again.Seq()));
        Assert.Equal((6, "heavier", true), ((int?)again["score"], (string?)again["band"], (bool)again["needsSupportNow"]!));
        Assert.NotEmpty(again["resources"]!.AsArray());
        Assert.Null(again["supportRequestEventId"]);
        Assert.Single(run.Script.Live[F], e => e.Type() == "support-requested" && (string)e["memberId"]! == run.Script.Ids[Sharer]);
    }

    [Fact]
    public async Task Answers_and_pulses_reach_only_their_author_live_on_replay_and_through_REST()
    {
        var run = await RunAsync();

        foreach (var (path, received) in new[] { ("live", run.Script.Live), ("replay", run.Script.Replay), ("REST", run.Rest) })
        {
            foreach (var name in Listeners)
            {
                StrictlyIncreasing(received[name].Select(e => e.Seq()), $"{path} at {name}");
                var others = received[name].Where(e => e.Type() is "measure-answered" or "session-pulse" && (string)e["memberId"]! != run.Script.Ids[name]).ToList();
                Assert.True(others.Count == 0, $"{name} got someone else's answers ({path}): {string.Join(", ", others.Select(e => e.ToJsonString()))}");
            }
            // Not vacuous: the author's own connections got theirs, private.
            var own = received[Sharer].Where(e => e.Type() == "measure-answered").ToList();
            Assert.Equal(4, own.Count);
            Assert.All(own, e => Assert.Equal("private", (string)e["visibility"]!));
            Assert.Equal("private", (string)Assert.Single(received[Sharer], e => e.Type() == "session-pulse")["visibility"]!);
            Assert.Equal(2, received[Keeper].Count(e => e.Type() == "measure-answered"));
            Assert.DoesNotContain(received[F], e => e.Type() is "measure-answered" or "session-pulse");
            Assert.DoesNotContain(received[Other], e => e.Type() == "measure-answered");
        }
    }

    [Fact]
    public async Task Who_hears_of_offers_opt_ins_and_stops_live_on_replay_and_through_REST()
    {
        var run = await RunAsync();
        var expected = new Dictionary<Guid, (string Type, string Visibility, string[] Viewers)>
        {
            [run.Script.Offered.EventId] = ("measure-offered", "circle", Listeners),
            [run.Script.Retired.EventId] = ("measure-retired", "circle", Listeners),
            // Shared, their facilitators know they chose it; kept to themselves, nobody else learns that they did.
            [run.Script.SharerOptIn.EventId] = ("measure-opted-in", "facilitators", [F, Sharer]),
            [run.Script.KeeperOptIn.EventId] = ("measure-opted-in", "private", [Keeper]),
            [run.Script.Stopped.EventId] = ("measure-stopped", "facilitators", [F, Sharer]),
        };

        var problems = new List<string>();
        foreach (var (path, received) in new[] { ("live", run.Script.Live), ("replay", run.Script.Replay), ("REST", run.Rest) })
        {
            foreach (var name in Listeners)
            {
                foreach (var (eventId, (type, visibility, viewers)) in expected)
                {
                    var copy = received[name].FirstOrDefault(e => e.Guid("eventId") == eventId);
                    if (viewers.Contains(name) && copy is null) problems.Add($"{name} did not get {type} ({path})");
                    if (!viewers.Contains(name) && copy is not null) problems.Add($"{name} got {type} ({path}), which is not for them");
                    if (copy is not null && (copy.Type(), (string)copy["visibility"]!) != (type, visibility))
                        problems.Add($"{name} got {copy.Type()}/{copy["visibility"]} where {type}/{visibility} was expected ({path})");
                }
            }
        }
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var offered = run.Script.OfferedAtOther;
        Assert.Equal(("Week at a glance", 7), ((string)offered["name"]!, (int)offered["everyDays"]!));
        Assert.Equal(run.Script.MeasureId, offered.Guid("measureId"));
    }

    [Fact]
    public async Task A_facilitator_reads_a_sharing_members_own_trend_and_nothing_of_anyone_who_keeps_it_to_themselves()
    {
        var run = await RunAsync();
        var views = run.Script.Views;

        var own = views["sharerOwn"];
        Assert.Equal(run.Script.Ids[Sharer], (string)own["memberId"]!);
        var measure = Assert.Single(own["measures"]!.AsArray())!.AsObject();
        Assert.Equal((run.Script.MeasureId, "Week at a glance", 7, 7, true), (measure.Guid("measureId"), (string)measure["name"]!,
            (int)measure["recallDays"]!, (int)measure["everyDays"]!, (bool)measure["offered"]!));
        Assert.Equal([false, true, false], measure["items"]!.AsArray().Select(i => (bool)i!["reverse"]!));
        Assert.Equal([null, null, 2], measure["items"]!.AsArray().Select(i => (int?)i!["safetyThreshold"]));
        Assert.True((bool)measure["consent"]!["sharedWithFacilitators"]!);
        Assert.NotNull(measure["nextDue"]);
        Assert.Equal([3, null, null, 6], Trend(own));
        Assert.Equal([3, 2, 0, 3], measure["answers"]!.AsArray().Select(a => (int)a!["answered"]!));

        var byFacilitator = views["sharerByFacilitator"];
        Assert.Equal(run.Script.Ids[Sharer], (string)byFacilitator["memberId"]!);
        Assert.Equal(Trend(own), Trend(byFacilitator));
        Assert.Empty(byFacilitator["pulses"]!.AsArray());
        Assert.Null(byFacilitator["pulseOpenFor"]);

        // Kept to themselves: the facilitator's view of them has no measure at all, not even that they opted in.
        Assert.Equal(run.Script.Ids[Keeper], (string)views["keeperByFacilitator"]["memberId"]!);
        Assert.Empty(views["keeperByFacilitator"]["measures"]!.AsArray());
        Assert.Equal([7], Trend(views["keeperOwn"]));
        // Stopping takes the whole trend out of the facilitators' view, the earlier answers too.
        Assert.Empty(views["sharerByFacilitatorAfterStop"]["measures"]!.AsArray());
    }

    [Fact]
    public async Task A_member_who_has_not_chosen_a_measure_sees_it_offered_and_is_asked_nothing()
    {
        var run = await RunAsync();

        var measure = Assert.Single(run.Script.Views["otherOwn"]["measures"]!.AsArray())!.AsObject();
        Assert.Equal(run.Script.MeasureId, measure.Guid("measureId"));
        Assert.Null(measure["consent"]);
        Assert.Null(measure["nextDue"]);
        Assert.Empty(measure["answers"]!.AsArray());
        Refused(run.Script.Refused["stopNotOptedIn"], "You are not answering this measure.", "stopping a measure never chosen");
    }

    [Fact]
    public async Task A_member_cannot_read_anyone_elses_measures_and_an_unknown_person_is_refused()
    {
        var run = await RunAsync();

        Refused(run.Script.Refused["sharerByKeeper"], "Only the circle's facilitators can do this.", "a member reading another's measures");
        Refused(run.Script.Refused["unknownPerson"], "That person is not in this circle.", "a facilitator reading someone not in the circle");
        Refused(run.Script.Refused["summariesByMember"], "Only the circle's facilitators can do this.", "a member reading the pulse summaries");
        Refused(run.Script.Refused["offerByMember"], "Only the circle's facilitators can do this.", "a member offering a measure");
        Refused(run.Script.Refused["answerBeforeOptIn"], "Choose to answer this measure first; it is yours to take up or not.", "answering before opting in");
    }

    [Fact]
    public async Task Malformed_measure_calls_are_refused_with_a_reason_and_the_connection_stays_usable()
    {
        var run = await RunAsync();
        var expected = new Dictionary<string, string>
        {
            ["optInNoMeasureId"] = "The measure (measureId) is required.",
            ["stopNoMeasureId"] = "The measure (measureId) is required.",
            ["answerNoMeasureId"] = "The measure (measureId) is required.",
            ["answerTooFew"] = "Send one answer per item (3); a skipped item is null.",
            ["answerOffScale"] = "An answer is one of the scale's numbers: 0, 1, 2, 3, or null to skip it.",
            ["answerWrongType"] = "AnswerMeasure: answers[0] has the wrong type; see docs/realtime-api.md.",
            ["answerBodyString"] = "AnswerMeasure takes the circle id and one JSON object; see docs/realtime-api.md.",
            ["unknownMeasure"] = "That measure is not offered in this circle.",
            ["memberIdNumber"] = "memberId must be a member's id (a string), or null for your own.",
            ["pulseValue"] = "Answer from 1 to 5, or skip it.",
            ["countZero"] = "count must be a whole number from 1 to 20.",
            ["countTooMany"] = "count must be a whole number from 1 to 20.",
            ["countString"] = "count must be a whole number from 1 to 20.",
        };

        Assert.Equal(expected.Keys.Order(), run.Script.Malformed.Keys.Order());
        foreach (var (name, message) in expected) Refused(run.Script.Malformed[name], message, name);
        Refused(run.Script.Refused["tooOften"], "Ask no more often than the recall period (14 days), and at least once a year (365 days).", "a cadence faster than the recall period");
        Assert.True(run.Script.ProbeAfter.Ok, run.Script.ProbeAfter.Error);
        Assert.Equal(run.Script.Ids[Sharer], (string)run.Script.ProbeAfter.Value!["memberId"]!);
    }

    [Fact]
    public async Task A_retired_measure_takes_no_more_answers_and_can_still_be_stopped()
    {
        var run = await RunAsync();

        Refused(run.Script.Refused["answerAfterRetire"], "This measure is no longer offered here; what you answered stays yours.", "answering a retired measure");
        Assert.True(run.Script.KeeperStopAfterRetire.Ok, run.Script.KeeperStopAfterRetire.Error);
        // What they answered stays theirs to read.
        var measure = Assert.Single(run.Script.Views["keeperOwnAfterRetire"]["measures"]!.AsArray())!.AsObject();
        Assert.False((bool)measure["offered"]!);
        Assert.Null(measure["consent"]);
        Assert.Equal([7, 6], measure["answers"]!.AsArray().Select(a => (int?)a!["score"]));
    }

    [Fact]
    public async Task The_pulse_is_answered_after_a_session_and_read_by_facilitators_only_as_distributions_of_three_or_more()
    {
        var run = await RunAsync();
        var script = run.Script;

        Refused(script.Refused["pulseClosed"], "The pulse for that session is closed; it is open in the time to reflect after a session.", "a pulse with no session just ended");
        Assert.NotNull(script.PulseOpenFor);
        Assert.Equal(script.StartedAt, (string)script.PulseOpenFor["key"]!);

        var two = Assert.Single(script.SummariesOfTwo)!.AsObject();
        Assert.Equal((script.StartedAt, 2), ((string)two["session"]!, (int)two["answers"]!));
        Assert.Null(two["heard"]);
        Assert.Null(two["safe"]);
        Assert.Null(two["mattered"]);

        var three = Assert.Single(script.SummariesOfThree)!.AsObject();
        Assert.Equal(["answers", "heard", "mattered", "safe", "session"], three.Fields());
        Assert.Equal(3, (int)three["answers"]!);
        Assert.Equal("""{"1":0,"2":0,"3":0,"4":2,"5":1}""", three["heard"]!.ToJsonString());
        Assert.Equal("""{"1":0,"2":1,"3":2,"4":0,"5":0}""", three["mattered"]!.ToJsonString());
        // Only two answered this one (one skipped it): still too few to show.
        Assert.Null(three["safe"]);

        var pulse = Assert.Single(script.SharerPulses)!.AsObject();
        Assert.Equal((script.StartedAt, 4, 5, 3, "calmer"), ((string)pulse["session"]!, (int)pulse["heard"]!, (int)pulse["safe"]!,
            (int)pulse["mattered"]!, (string)pulse["word"]!));
    }

    [Fact]
    public async Task Every_measure_write_sent_again_with_its_client_event_id_gets_its_first_receipt_and_stores_nothing_new()
    {
        var run = await RunAsync();
        var resent = new Dictionary<string, List<Ack>>(run.Script.Resent)
        {
            ["pulse"] = [run.Script.Pulses["sharer"], run.Script.Pulses["sharerAgain"]],
        };

        Assert.Equal(["offer", "optIn", "pulse", "retire", "stop"], resent.Keys.Order());
        foreach (var (write, acks) in resent) Assert.True(acks[0] == acks[1], $"{write}: {acks[0]} then {acks[1]}");
        foreach (var type in new[] { "measure-offered", "measure-retired" })
            Assert.Single(run.Script.Live[Other], e => e.Type() == type);
        Assert.Single(run.Script.Live[Sharer], e => e.Type() == "session-pulse");
        Assert.Single(run.Script.Live[F], e => e.Type() == "measure-stopped");
    }

    [Fact]
    public async Task Someone_outside_the_circle_is_refused_every_measure_method()
    {
        var run = await RunAsync();

        Assert.Equal(9, run.Script.OutsiderCalls.Count);
        foreach (var (method, attempt) in run.Script.OutsiderCalls) Refused(attempt, "You are not a member of this circle.", method);
    }

    private static List<int?> Trend(JsonObject view) =>
        view["measures"]!.AsArray().SelectMany(m => m!["answers"]!.AsArray()).Select(a => (int?)a!["score"]).ToList();

    private static Measures? _result;
    private static readonly SemaphoreSlim Once = new(1, 1);

    private async Task<Measures> RunAsync()
    {
        await Once.WaitAsync();
        try
        {
            return _result ??= await ScenarioAsync();
        }
        finally
        {
            Once.Release();
        }
    }

    private async Task<Measures> ScenarioAsync()
    {
        var (facilitator, sharer, keeper, other) =
            (await app.RegisterAsync("mae"), await app.RegisterAsync("noor"), await app.RegisterAsync("oli"), await app.RegisterAsync("pim"));
        var outsider = await app.RegisterAsync("quin");
        var circle = await facilitator.CircleWithMembersAsync(sharer, keeper, other);
        var script = await new HubScripts(app).RunAsync<MeasuresScript>("measures.mjs",
            People((F, facilitator), (Sharer, sharer), (Keeper, keeper), (Other, other), ("outsider", outsider)),
            circle.CircleId, sharer.Nickname, keeper.Nickname, other.Nickname);
        var rest = new Dictionary<string, List<JsonObject>>();
        foreach (var (name, user) in new[] { (F, facilitator), (Sharer, sharer), (Keeper, keeper), (Other, other) })
            rest[name] = [.. (await user.EventsAsync(circle.CircleId, script.StartSeq, max: 200)).Events];
        return new Measures(circle.CircleId, script, rest);
    }

    private sealed record MeasuresScript(
        long StartSeq,
        Dictionary<string, string> Ids,
        Guid MeasureId,
        Ack Offered,
        JsonObject OfferedAtOther,
        Ack SharerOptIn,
        Ack KeeperOptIn,
        Dictionary<string, JsonObject> Answers,
        JsonObject SupportAtFacilitator,
        JsonObject KeeperSupportAtFacilitator,
        Dictionary<string, Attempt<JsonNode>> Refused,
        Dictionary<string, Attempt<JsonNode>> Malformed,
        Attempt<JsonObject> ProbeAfter,
        Dictionary<string, JsonObject> Views,
        string StartedAt,
        JsonObject? PulseOpenFor,
        Dictionary<string, Ack> Pulses,
        JsonArray SummariesOfTwo,
        JsonArray SummariesOfThree,
        JsonArray SharerPulses,
        Ack Stopped,
        Ack Retired,
        Attempt<JsonObject> KeeperStopAfterRetire,
        Dictionary<string, List<JsonObject>> Live,
        Dictionary<string, List<JsonObject>> Replay,
        Dictionary<string, Attempt<JsonNode>> OutsiderCalls,
        Dictionary<string, List<Ack>> Resent);

    private sealed record Measures(Guid CircleId, MeasuresScript Script, Dictionary<string, List<JsonObject>> Rest);
}

/// <summary>
/// Reading a member's trend is something facilitators do, so where facilitators must sign in with a second step
/// (Accounts:RequireStrongSignInForFacilitators) a co-facilitator signed in with a password alone is refused it, as
/// they are every facilitator method; their own measures stay theirs to read, and members never notice the rule.
/// </summary>
[Collection(StrongSignInAppFixture.Collection)]
public sealed class MeasuresStrongSignInHubTests(StrongSignInAppFixture app)
{
    private const string Refusal =
        "To keep what members share safe, facilitators on this server sign in with a second step: a code from an " +
        "authenticator app, or a passkey. Set one up under Settings, Sign-in security, then sign in again with it.";

    [Fact]
    public async Task A_co_facilitator_signed_in_with_a_password_only_cannot_read_a_members_trend_but_reads_their_own()
    {
        var lead = await app.RegisterAsync("lena");
        var leadAuthenticator = await app.TurnOnAuthenticatorAsync(lead);
        var strongLead = await lead.WithTokenFromAsync(await app.LoginAsync(lead.Email, twoFactorCode: Totp.Now(leadAuthenticator.SharedKey)));
        var (co, sam) = (await app.RegisterAsync("cora"), await app.RegisterAsync("saul"));
        var circle = await strongLead.CircleWithMembersAsync(co, sam);
        var members = (await strongLead.CircleAsync(circle.CircleId)).Members;
        var (coId, samId) = (members.Single(m => m.DisplayName == "cora").MemberId, members.Single(m => m.DisplayName == "saul").MemberId);
        var id = circle.CircleId.ToString();

        await using var leadHub = await ConnectAsync(strongLead);
        await leadHub.InvokeAsync<JsonObject>("AddCoFacilitator", id, new { clientEventId = "promote-cora", memberId = coId });
        await using var coHub = await ConnectAsync(co);
        await using var samHub = await ConnectAsync(sam);

        foreach (var (method, argument) in new (string, object?)[]
                 {
                     ("GetMeasures", samId),
                     ("GetPulseSummaries", 5),
                     ("OfferMeasure", new { clientEventId = "cora-offer", measure = new { name = "Any" }, everyDays = 7 }),
                     ("RetireMeasure", new { clientEventId = "cora-retire", measureId = Guid.NewGuid() }),
                 })
        {
            var error = await Assert.ThrowsAsync<HubException>(() => coHub.InvokeAsync<JsonNode>(method, id, argument));
            Assert.EndsWith($"HubException: {Refusal}", error.Message);
        }
        Assert.Equal(coId, (string)(await coHub.InvokeAsync<JsonObject>("GetMeasures", id, null))["memberId"]!);
        Assert.Equal(coId, (string)(await coHub.InvokeAsync<JsonObject>("GetMeasures", id, coId))["memberId"]!);
        var samRefused = await Assert.ThrowsAsync<HubException>(() => samHub.InvokeAsync<JsonObject>("GetMeasures", id, coId));
        Assert.EndsWith("HubException: Only the circle's facilitators can do this.", samRefused.Message);
        Assert.Equal(samId, (string)(await leadHub.InvokeAsync<JsonObject>("GetMeasures", id, samId))["memberId"]!);
    }

    private async Task<HubConnection> ConnectAsync(TestUser user)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app.BaseAddress, "hubs/circles"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token))
            .Build();
        await hub.StartAsync();
        return hub;
    }
}
