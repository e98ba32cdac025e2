using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// Bad input as buggy or out-of-date clients send it: each call is refused with a message that names what is wrong,
/// the connection keeps working, and nothing is stored. At exactly the limits everything is accepted. A message over
/// 32 KB closes only that connection. tests/hub-client/malformed.mjs and oversized.mjs.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class MalformedInputTests(GroupsAppFixture app)
{
    private const string NotAGuid = "circleId must be the circle's id, a GUID string.";
    private const string BadSeq = "afterSeq must be a whole number, 0 or more (0 means from the start).";
    private const string Visibility = "Visibility must be \"circle\", \"facilitators\" or \"private\".";
    private const string Capacities = "Capacity must be one of: resting, low, some, steady, open.";

    public static readonly TheoryData<string, string> Refusals = new()
    {
        { "circleIdNumber", NotAGuid },
        { "circleIdNotAGuid", NotAGuid },
        { "circleIdNull", NotAGuid },
        { "circleIdObject", NotAGuid },
        { "afterSeqString", BadSeq },
        { "afterSeqNegative", BadSeq },
        { "afterSeqFraction", BadSeq },
        { "afterSeqNull", BadSeq },
        { "bodyString", "CheckIn takes the circle id and one JSON object; see docs/realtime-api.md." },
        { "bodyArray", "ShareWin takes the circle id and one JSON object; see docs/realtime-api.md." },
        { "bodyNull", "RequestSupport takes the circle id and one JSON object; see docs/realtime-api.md." },
        { "bodyNumber", "StartRound takes the circle id and one JSON object; see docs/realtime-api.md." },
        { "capacityNumber", "CheckIn: capacity has the wrong type; see docs/realtime-api.md." },
        { "feelingsString", "CheckIn: feelings has the wrong type; see docs/realtime-api.md." },
        { "feelingNumber", "CheckIn: feelings[0] has the wrong type; see docs/realtime-api.md." },
        { "textNumber", "ShareWin: text has the wrong type; see docs/realtime-api.md." },
        { "visibilityBoolean", "BringToSession: visibility has the wrong type; see docs/realtime-api.md." },
        { "eventIdNotAGuid", "Acknowledge: eventId has the wrong type; see docs/realtime-api.md." },
        { "commitmentIdNumber", "JoinCommitment: commitmentId has the wrong type; see docs/realtime-api.md." },
        { "passString", "RespondToRound: pass has the wrong type; see docs/realtime-api.md." },
        { "noteObject", "LogPractice: note has the wrong type; see docs/realtime-api.md." },
        { "clientEventIdNumber", "Reflect: clientEventId has the wrong type; see docs/realtime-api.md." },
        { "roundIdNotAGuid", "EndRound: roundId has the wrong type; see docs/realtime-api.md." },
        { "emptyCheckIn", $"Capacity is required. {Visibility}" },
        { "emptyWin", $"The win is required. {Visibility}" },
        { "blankWin", "The win is required." },
        { "emptyBringToSession", $"What you want to bring is required. {Visibility}" },
        { "emptyCommitment", $"What you will practise is required. The cue (when or where) is required. {Visibility}" },
        { "emptyAcknowledge", "The entry you answer (eventId) is required. kind is required." },
        { "emptyJoinCommitment", "commitmentId is required." },
        { "emptyLogPractice", "commitmentId is required. outcome is required." },
        { "emptyReflect", Visibility },
        { "emptyAnswer", "Answer with a capacity or a few words, or pass: passing is a full answer." },
        { "emptyStartRound", "The round's prompt is required." },
        { "emptyEndRound", "roundId is required." },
        { "capacityUnknown", Capacities },
        { "capacityWrongCase", Capacities },
        { "visibilityUnknown", Visibility },
        { "kindUnknown", "kind must be one of: with-you, me-too, glad-you-shared, thank-you." },
        { "outcomeUnknown", "outcome must be one of: practised, adapted, rested, let-go." },
        { "roundCapacityUnknown", Capacities },
        { "noteTooLong", "The note can be at most 1000 characters." },
        { "feelingTooLong", "Each feeling word can be at most 30 characters." },
        { "tooManyFeelings", "Choose at most 5 feeling words." },
        { "winTooLong", "The win can be at most 1000 characters." },
        { "bringTooLong", "What you want to bring can be at most 1000 characters." },
        { "reflectionTooLong", "What felt important can be at most 1000 characters. What is still with you can be at most 1000 characters. What you want to notice can be at most 1000 characters." },
        { "commitmentTooLong", "What you will practise can be at most 1000 characters. The cue (when or where) can be at most 1000 characters. How small can be at most 1000 characters." },
        { "practiceNoteTooLong", "The note can be at most 1000 characters." },
        { "answerTooLong", "The answer can be at most 1000 characters." },
        { "supportNoteTooLong", "The note can be at most 1000 characters." },
        { "emptySupportNote", "The request (requestEventId) is required. The note is required." },
        { "emptyWithdrawSupport", "The request (requestEventId) is required." },
        { "promptTooLong", "The round's prompt can be at most 280 characters." },
        { "clientEventIdTooLong", "clientEventId can be at most 64 characters." },
        { "winReversed", "The win contains control or text-direction characters that cannot be shown here. Please type it again without them." },
        { "noteIsolate", "The note contains control or text-direction characters that cannot be shown here. Please type it again without them." },
        { "answerNul", "The answer contains control or text-direction characters that cannot be shown here. Please type it again without them." },
        { "feelingEscape", "A feeling word contains invisible, control or text-direction characters. Please type it again without them." },
        { "largeButUnder32KB", "The note can be at most 1000 characters." },
        { "unknownMethod", "Method does not exist." },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task Bad_input_is_refused_with_a_message_that_names_the_problem(string input, string message)
    {
        var run = await RunAsync();
        Refused(run.Script.Rejected[input], message, input);
    }

    [Fact]
    public async Task Calls_with_the_wrong_number_of_arguments_fail_and_name_the_method()
    {
        var run = await RunAsync();

        // SignalR refuses these before the hub sees them, with its own generic text (documented in docs/realtime-api.md).
        foreach (var (input, method) in new[] { ("tooFewArguments", "CheckIn"), ("tooManyArguments", "ShareWin") })
        {
            var attempt = run.Script.Rejected[input];
            Assert.False(attempt.Ok, input);
            Assert.Contains($"Failed to invoke '{method}'", attempt.Error);
        }
    }

    [Fact]
    public async Task After_bad_input_every_connection_still_works_and_nothing_was_stored()
    {
        var run = await RunAsync();

        Assert.Equal(Refusals.Count + 2, run.Script.Rejected.Count); // every case ran: the theory's and the two above
        Assert.NotEmpty(run.Script.Usable);
        Assert.All(run.Script.Usable, Assert.True);
        Assert.Equal(run.Script.Before, run.Script.AfterRejected);
        Assert.All(run.Script.Rejected.Values, a => Assert.False(a.Ok));
    }

    [Fact]
    public async Task Everything_at_exactly_its_limit_is_accepted_and_stored_in_full()
    {
        var run = await RunAsync();
        foreach (var (name, attempt) in run.Script.Accepted) Assert.True(attempt.Ok, $"{name}: {attempt.Error}");

        var stored = (await run.Member.EventsAsync(run.CircleId, afterSeq: run.Script.AfterRejected, max: 200)).Events
            .ToDictionary(e => e.Guid("eventId"));
        JsonObject Entry(string name) => stored[run.Script.Accepted[name].Value!.EventId];

        Assert.Equal(new string('x', 64), (string)Entry("checkInAtLimits")["clientEventId"]!);
        Assert.Equal(1000, ((string)Entry("checkInAtLimits")["note"]!).Length);
        Assert.Equal([new string('a', 30), "b", "c", "d", "e"], Entry("checkInAtLimits")["feelings"]!.AsArray().Select(f => (string)f!));
        Assert.Equal(new string('x', 1000), (string)Entry("winAtLimit")["text"]!); // trimmed of the spaces around it
        Assert.Equal(1000, ((string)Entry("bringAtLimit")["text"]!).Length);
        Assert.All(new[] { "important", "stillWithMe", "toNotice" }, f => Assert.Equal(1000, ((string)Entry("reflectionAtLimits")[f]!).Length));
        Assert.All(new[] { "practice", "cue", "size" }, f => Assert.Equal(1000, ((string)Entry("commitmentAtLimits")[f]!).Length));
        Assert.Equal(1000, ((string)Entry("practiceNoteAtLimit")["note"]!).Length);
        Assert.Equal(1000, ((string)Entry("answerAtLimit")["text"]!).Length);
        Assert.Equal(1000, ((string)Entry("supportNoteAtLimit")["note"]!).Length);
        Assert.Equal(280, ((string)Entry("promptAtLimit")["prompt"]!).Length);
        Assert.Equal((null, null, null, "private"), ((string?)Entry("reflectionWithNothingButVisibility")["important"],
            (string?)Entry("reflectionWithNothingButVisibility")["stillWithMe"], (string?)Entry("reflectionWithNothingButVisibility")["toNotice"],
            (string)Entry("reflectionWithNothingButVisibility")["visibility"]!));
        Assert.Null((string?)Entry("supportWithNothing")["note"]);
        Assert.False(Entry("newerClientsExtraField").ContainsKey("mood")); // unknown fields are ignored, not stored
        Assert.Equal(["resting", "low", "some", "steady", "open"],
            run.Script.Accepted.Where(a => a.Key.StartsWith("capacity ")).Select(a => (string)Entry(a.Key)["capacity"]!));
    }

    [Fact]
    public async Task A_message_over_32_KB_closes_only_that_connection_stores_nothing_and_the_client_can_reconnect()
    {
        var (facilitator, member) = (await app.RegisterAsync("yui"), await app.RegisterAsync("zed"));
        var circle = await facilitator.CircleWithMembersAsync(member);

        var run = await new HubScripts(app).RunAsync<OversizedRun>("oversized.mjs", People(("facilitator", facilitator), ("member", member)), circle.CircleId);

        Assert.False(run.Oversized.Ok);
        Assert.Equal("Server returned an error on close: Connection closed with an error.", run.ClosedWith);
        Assert.Equal("Disconnected", run.StateAfter);
        Assert.True(run.FacilitatorStillWorks, "Another person's connection stopped working.");
        Assert.Equal((run.Before, 0), (run.Rejoin.LastSeq, run.Rejoin.Events)); // nothing was stored
        Assert.True(run.Afterwards.Ok, run.Afterwards.Error);
        Assert.Equal(run.Before + 1, run.Afterwards.Value!.Seq);
    }

    private static Malformed? _result;
    private static readonly SemaphoreSlim Once = new(1, 1);

    private async Task<Malformed> RunAsync()
    {
        await Once.WaitAsync();
        try
        {
            if (_result is not null) return _result;
            var (facilitator, member) = (await app.RegisterAsync("cy"), await app.RegisterAsync("di"));
            var circle = await facilitator.CircleWithMembersAsync(member);
            var script = await new HubScripts(app).RunAsync<MalformedScript>("malformed.mjs",
                People(("facilitator", facilitator), ("member", member)), circle.CircleId);
            return _result = new Malformed(circle.CircleId, member, script);
        }
        finally
        {
            Once.Release();
        }
    }

    private sealed record MalformedScript(
        long Before, long AfterRejected, List<bool> Usable, Dictionary<string, Attempt<JsonObject>> Rejected,
        Dictionary<string, Attempt<Ack>> Accepted);

    private sealed record Malformed(Guid CircleId, TestUser Member, MalformedScript Script);

    private sealed record Rejoin(long LastSeq, int Events);

    private sealed record OversizedRun(
        long Before, Attempt<Ack> Oversized, string ClosedWith, string StateAfter, bool FacilitatorStillWorks, Rejoin Rejoin, Attempt<Ack> Afterwards);
}
