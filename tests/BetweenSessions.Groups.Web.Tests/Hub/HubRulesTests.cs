using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// Who may do what over the hub, and the clear refusal otherwise: facilitator-only methods (roles are per circle),
/// one open round, only what the caller may see can be answered or joined, ids of one circle mean nothing in another,
/// and someone outside a circle is refused by every method. Refusals store nothing. tests/hub-client/rules.mjs.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class HubRulesTests(GroupsAppFixture app)
{
    private const string NotFacilitator = "Only the circle's facilitators can do this.";
    private const string RoundNotOpen = "That round is not open; it may have ended.";
    private const string NoSuchEntry = "There is no such entry in this circle.";
    private const string NoSuchCommitment = "There is no such commitment in this circle.";
    private const string NotAnswerable = "Only shared entries (check-ins, wins, commitments, practice, reflections, answers) can be answered.";

    public static readonly TheoryData<string, string> Refusals = new()
    {
        { "memberStartsRound", NotFacilitator },
        { "facilitatorElsewhereStartsRound", NotFacilitator },
        { "memberEndsRound", NotFacilitator },
        { "secondOpenRound", "A round is already open. End it before starting another." },
        { "answerAfterEnd", RoundNotOpen },
        { "endAgain", RoundNotOpen },
        { "unknownRound", RoundNotOpen },
        { "acknowledgeSomeonesPrivateEntry", NoSuchEntry },
        { "acknowledgeUnknownEntry", NoSuchEntry },
        { "acknowledgeAJoin", NotAnswerable },
        { "acknowledgeARoundStart", NotAnswerable },
        { "joinOwnCommitment", "This is your own commitment; you are already practising it." },
        { "joinSomeonesPrivateCommitment", NoSuchCommitment },
        { "joinAFacilitatorsOnlyCommitmentAsMember", NoSuchCommitment },
        { "joinUnknownCommitment", NoSuchCommitment },
        { "logPracticeWithoutJoining", "Join this commitment first to log practice with it." },
        { "logPracticeOnSomeonesPrivateCommitment", NoSuchCommitment },
        { "joinTwice", "You already practise this one together." },
        { "joinCommitmentFromAnotherCircle", NoSuchCommitment },
        { "logPracticeFromAnotherCircle", NoSuchCommitment },
        { "acknowledgeFromAnotherCircle", NoSuchEntry },
        { "answerRoundOfAnotherCircle", RoundNotOpen },
        { "endRoundOfAnotherCircle", RoundNotOpen },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_call_against_the_rules_is_refused_clearly(string attempt, string message)
    {
        var run = await RunAsync();
        Refused(run.Script.Refused[attempt], message, attempt);
    }

    [Fact]
    public async Task Refused_calls_store_nothing_in_either_circle()
    {
        var run = await RunAsync();

        Assert.Equal(run.Script.Refused.Count, Refusals.Count);
        var stored = run.Script.Stored.Where(s => s.Circle == run.CircleId).ToList();
        Assert.Equal(run.Script.Stored.Count, stored.Count);
        Assert.Equal(run.Before.Circle + stored.Count, (await run.Facilitator.CircleAsync(run.CircleId)).LastSeq);
        Assert.Equal(run.Before.Second, (await run.Facilitator.CircleAsync(run.SecondCircleId)).LastSeq);
        Assert.Equal(Enumerable.Range(1, stored.Count).Select(i => run.Before.Circle + i), stored.Select(s => s.Seq));
    }

    [Fact]
    public async Task Someone_outside_the_circle_is_refused_by_every_method_and_can_still_use_their_connection()
    {
        var run = await RunAsync();

        Assert.Equal(15, run.Script.Outsider.Count);
        foreach (var (method, attempt) in run.Script.Outsider) Refused(attempt, "You are not a member of this circle.", method);
        foreach (var (method, attempt) in run.Script.NoSuchCircle) Refused(attempt, "There is no such circle.", method);
        Assert.All(run.Script.OutsiderOwn, a => Assert.True(a.Ok, a.Error));
        Assert.Equal(0, run.Script.OutsiderReceivedFromTheCircle);
    }

    private static Rules? _result;
    private static readonly SemaphoreSlim Once = new(1, 1);

    private async Task<Rules> RunAsync()
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

    private async Task<Rules> ScenarioAsync()
    {
        var (facilitator, member, other, outsider) =
            (await app.RegisterAsync("tam"), await app.RegisterAsync("uma"), await app.RegisterAsync("vic"), await app.RegisterAsync("xan"));
        var circle = await facilitator.CircleWithMembersAsync(member, other);
        var second = await other.CircleWithMembersAsync(facilitator, member);
        var outsidersOwn = await outsider.CircleWithMembersAsync();
        var before = ((await facilitator.CircleAsync(circle.CircleId)).LastSeq, (await other.CircleAsync(second.CircleId)).LastSeq);
        var script = await new HubScripts(app).RunAsync<RulesScript>("rules.mjs",
            People(("facilitator", facilitator), ("member", member), ("other", other), ("outsider", outsider)),
            circle.CircleId, second.CircleId, outsidersOwn.CircleId);
        return new Rules(circle.CircleId, second.CircleId, facilitator, before, script);
    }

    private sealed record Stored(Guid Circle, string Method, Guid EventId, long Seq);

    private sealed record RulesScript(
        List<Stored> Stored, Dictionary<string, Attempt<JsonObject>> Refused, Dictionary<string, Attempt<JsonObject>> Outsider,
        Dictionary<string, Attempt<JsonObject>> NoSuchCircle, List<Attempt<JsonObject>> OutsiderOwn, int OutsiderReceivedFromTheCircle);

    private sealed record Rules(Guid CircleId, Guid SecondCircleId, TestUser Facilitator, (long Circle, long Second) Before, RulesScript Script);
}
