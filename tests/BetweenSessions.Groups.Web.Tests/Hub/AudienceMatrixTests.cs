using System.Net;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// Who receives what: every event type in every visibility it can have, for four people in a circle (facilitator,
/// the entry's author, its subject, another member) and one outside it, live, on replay (JoinCircle afterSeq) and
/// through REST, each compared with the one expected matrix below. Driven by tests/hub-client/audience-matrix.mjs.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class AudienceMatrixTests(GroupsAppFixture app)
{
    private const string F = "facilitator", A = "author", S = "subject", O = "other";
    private static readonly string[] Members = [F, A, S, O];
    private static readonly string[] Everyone = Members;

    /// <summary>
    /// The expected matrix: for each entry of the scenario, the visibility it carries on the wire and who may see it.
    /// The rule (docs/realtime-api.md): its author and its subject always; "circle" everyone in the circle;
    /// "facilitators" the facilitators too; "private" nobody else. An acknowledgement takes the visibility of what it
    /// answers, with that entry's author as subject; joining a commitment or logging practice takes the commitment's,
    /// with its owner as subject; round entries are the circle's; support requests are for facilitators.
    /// </summary>
    public static readonly Dictionary<string, (string Visibility, string[] Viewers)> Expected = new()
    {
        ["check-in/circle"] = ("circle", Everyone),
        ["check-in/facilitators"] = ("facilitators", [F, A]),
        ["check-in/private"] = ("private", [A]),
        ["win-shared/circle"] = ("circle", Everyone),
        ["win-shared/facilitators"] = ("facilitators", [F, A]),
        ["win-shared/private"] = ("private", [A]),
        ["brought-to-session/circle"] = ("circle", Everyone),
        ["brought-to-session/facilitators"] = ("facilitators", [F, A]),
        ["brought-to-session/private"] = ("private", [A]),
        ["reflected/circle"] = ("circle", Everyone),
        ["reflected/facilitators"] = ("facilitators", [F, A]),
        ["reflected/private"] = ("private", [A]),
        // Commitments are the subject's: the others join them and log practice with them.
        ["commitment-made/circle"] = ("circle", Everyone),
        ["commitment-made/facilitators"] = ("facilitators", [F, S]),
        ["commitment-made/private"] = ("private", [S]),
        ["commitment-joined/circle"] = ("circle", Everyone),                 // by the author
        ["commitment-joined/facilitators"] = ("facilitators", [F, S]),       // by the facilitator; the owner sees it
        ["practice-logged/circle"] = ("circle", Everyone),                   // by the author, a co-practitioner
        ["practice-logged/facilitators"] = ("facilitators", [F, S]),         // by the facilitator; the owner sees it
        ["practice-logged/private"] = ("private", [S]),                      // by the owner
        ["acknowledged/circle"] = ("circle", Everyone),                      // the other member answers the author
        ["acknowledged/facilitators"] = ("facilitators", [F, A]),            // the author sees it only as its subject
        ["acknowledged/private"] = ("private", [A]),                         // the author answers their own private entry
        ["acknowledged/facilitators-by-subject"] = ("facilitators", [F, S]), // a member answers what they see as subject
        ["acknowledged/round-answer"] = ("circle", Everyone),
        ["round-started/circle"] = ("circle", Everyone),
        ["round-answered/circle"] = ("circle", Everyone),
        ["round-answered/pass"] = ("circle", Everyone),
        ["round-ended/circle"] = ("circle", Everyone),
        ["support-requested/facilitators"] = ("facilitators", [F, A]),
    };

    private static Matrix? _result;
    private static readonly SemaphoreSlim Once = new(1, 1);

    [Fact]
    public async Task Every_entry_is_pushed_live_to_exactly_its_audience_once_in_order()
    {
        var run = await RunAsync();
        AssertMatrix(run, run.Script.Live, "live");
    }

    [Fact]
    public async Task Replaying_with_JoinCircle_afterSeq_returns_exactly_what_each_person_may_see()
    {
        var run = await RunAsync();
        AssertMatrix(run, run.Script.Replay, "replay");
    }

    [Fact]
    public async Task The_REST_log_applies_the_same_audiences()
    {
        var run = await RunAsync();
        var rest = new Dictionary<string, List<JsonObject>>();
        foreach (var name in Members) rest[name] = [.. (await run.Users[name].EventsAsync(run.CircleId, run.Script.StartSeq, max: 200)).Events];
        AssertMatrix(run, rest, "REST");
    }

    [Fact]
    public async Task Live_replayed_and_stored_copies_of_an_entry_are_identical()
    {
        var run = await RunAsync();
        foreach (var name in Members)
        {
            var replayed = run.Script.Replay[name].ToDictionary(e => e.Guid("eventId"));
            foreach (var live in run.Script.Live[name])
            {
                Assert.True(JsonNode.DeepEquals(live, replayed[live.Guid("eventId")]),
                    $"{name}: live {live.ToJsonString()} differs from replay {replayed[live.Guid("eventId")].ToJsonString()}");
            }
        }
    }

    [Fact]
    public async Task Answers_and_shared_practice_point_at_what_they_answer()
    {
        var run = await RunAsync();
        var facilitatorSees = run.Script.Live[F].ToDictionary(e => e.Guid("eventId"));
        JsonObject Entry(string label) => facilitatorSees[run.Script.Acks[label].EventId];

        Assert.Equal(run.Script.Acks["check-in/circle"].EventId, Entry("acknowledged/circle").Guid("targetEventId"));
        Assert.Equal("check-in", (string)Entry("acknowledged/facilitators")["targetType"]!);
        Assert.Equal("practice-logged", (string)Entry("acknowledged/facilitators-by-subject")["targetType"]!);
        Assert.Equal("round-answered", (string)Entry("acknowledged/round-answer")["targetType"]!);
        Assert.Equal(Entry("commitment-made/facilitators").Guid("commitmentId"), Entry("commitment-joined/facilitators").Guid("commitmentId"));
        Assert.Equal(Entry("commitment-made/circle").Guid("commitmentId"), Entry("practice-logged/circle").Guid("commitmentId"));
        Assert.Equal("practice for facilitators", (string)Entry("practice-logged/facilitators")["practice"]!);
    }

    [Fact]
    public async Task Someone_outside_the_circle_receives_nothing_of_it_and_cannot_read_it()
    {
        var run = await RunAsync();
        var outsider = run.Script.Outsider;

        Assert.True(outsider.OwnJoin, "The outsider's connection did not work in their own circle.");
        Refused(outsider.Join, "You are not a member of this circle.", "JoinCircle");
        Assert.Empty(outsider.Received);
        Assert.Empty(outsider.Presence);
        foreach (var path in new[] { $"/api/circles/{run.CircleId}/events", $"/api/circles/{run.CircleId}" })
        {
            var response = await run.Outsider.Http.GetAsync(path);
            await response.ReadProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    private static void AssertMatrix(Matrix run, Dictionary<string, List<JsonObject>> received, string path)
    {
        var labelOf = run.Script.Acks.ToDictionary(a => a.Value.EventId, a => a.Key);
        Assert.Equal(Expected.Keys.Order(), run.Script.Acks.Keys.Order()); // the scenario wrote every entry of the matrix
        var problems = new List<string>();
        foreach (var name in Members)
        {
            var events = received[name];
            StrictlyIncreasing(events.Select(e => e.Seq()), $"{path} at {name}");
            var got = events.Select(e => e.Guid("eventId")).Where(id => id != run.Script.Sentinel.EventId).ToList();
            if (got.Count != got.Distinct().Count()) problems.Add($"{name} got some entries more than once");
            foreach (var unknown in got.Where(id => !labelOf.ContainsKey(id))) problems.Add($"{name} got an entry the scenario did not write: {unknown}");
            if (!events.Any(e => e.Guid("eventId") == run.Script.Sentinel.EventId)) problems.Add($"{name} did not get the last circle entry");

            foreach (var (label, (visibility, viewers)) in Expected)
            {
                var eventId = run.Script.Acks[label].EventId;
                var copy = events.FirstOrDefault(e => e.Guid("eventId") == eventId);
                var shouldSee = viewers.Contains(name);
                if (shouldSee && copy is null) problems.Add($"{name} did not get {label}");
                if (!shouldSee && copy is not null) problems.Add($"{name} got {label}, which is not for them");
                if (copy is not null && (string)copy["visibility"]! != visibility) problems.Add($"{label} came with visibility {copy["visibility"]}");
                if (copy is not null && copy.Type() != label.Split('/')[0]) problems.Add($"{label} came as type {copy.Type()}");
            }
        }
        Assert.True(problems.Count == 0, $"The {path} audiences differ from the expected matrix:\n" + string.Join("\n", problems));
    }

    private async Task<Matrix> RunAsync()
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

    private async Task<Matrix> ScenarioAsync()
    {
        var users = new Dictionary<string, TestUser>
        {
            [F] = await app.RegisterAsync("fern"), [A] = await app.RegisterAsync("ash"), [S] = await app.RegisterAsync("sol"),
            [O] = await app.RegisterAsync("bo"),
        };
        var outsider = await app.RegisterAsync("oz");
        var circle = await users[F].CircleWithMembersAsync(users[A], users[S], users[O]);
        var outsidersCircle = await outsider.CircleWithMembersAsync();
        var script = await new HubScripts(app).RunAsync<MatrixScript>("audience-matrix.mjs",
            People([.. users.Select(u => (u.Key, u.Value)), ("outsider", outsider)]), circle.CircleId, outsidersCircle.CircleId);
        return new Matrix(circle.CircleId, users, outsider, script);
    }

    private sealed record OutsiderView(bool OwnJoin, Attempt<JsonObject> Join, List<JsonObject> Received, List<JsonObject> Presence);

    private sealed record MatrixScript(
        long StartSeq, Ack Sentinel, Dictionary<string, Ack> Acks, Dictionary<string, List<JsonObject>> Live,
        Dictionary<string, List<JsonObject>> Replay, OutsiderView Outsider);

    private sealed record Matrix(Guid CircleId, Dictionary<string, TestUser> Users, TestUser Outsider, MatrixScript Script);
}
