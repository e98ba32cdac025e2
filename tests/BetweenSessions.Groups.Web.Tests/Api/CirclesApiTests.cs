using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Api;

[Collection(GroupsAppCollection.Name)]
public sealed class CirclesApiTests(GroupsAppFixture app)
{
    [Fact]
    public async Task A_facilitator_starts_a_circle_and_a_member_joins_it_with_the_invite_code()
    {
        var facilitator = await app.RegisterAsync("maya");
        var member = await app.RegisterAsync("sam");

        var response = await facilitator.Http.PostAsJsonAsync("/api/circles", new { name = "  Tuesday evening  ", displayName = "Maya" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = (await response.Content.ReadFromJsonAsync<CircleCreated>())!;
        Assert.NotEqual(Guid.Empty, created.CircleId);
        Assert.Equal($"/api/circles/{created.CircleId}", response.Headers.Location?.OriginalString);
        Assert.Equal("Tuesday evening", created.Name);
        Assert.Equal("facilitator", created.Role);
        Assert.Matches("^[A-Z2-9]{8}$", created.InviteCode);

        var joined = await member.JoinCircleAsync(created.InviteCode!, "Sam");
        Assert.Equal(created.CircleId, joined.CircleId);
        Assert.Equal("member", joined.Role);
        Assert.Null(joined.InviteCode); // only facilitators hand out the code

        Assert.Equal([(created.CircleId, "Tuesday evening", "facilitator")], Summaries(await facilitator.MyCirclesAsync()));
        Assert.Equal([(created.CircleId, "Tuesday evening", "member")], Summaries(await member.MyCirclesAsync()));

        var details = await facilitator.CircleAsync(created.CircleId);
        Assert.Equal(created.InviteCode, details.InviteCode);
        Assert.Equal([("Maya", "facilitator"), ("Sam", "member")], details.Members.Select(m => (m.DisplayName, m.Role)));
        Assert.Null((await member.CircleAsync(created.CircleId)).InviteCode);

        var log = await member.EventsAsync(created.CircleId);
        Assert.Equal(["circle-created", "member-joined"], log.Events.Select(e => (string)e["type"]!));
        Assert.Equal(details.LastSeq, (long)log.Events[^1]["seq"]!);
    }

    [Fact]
    public async Task An_invite_code_works_however_it_is_typed_and_joining_twice_changes_nothing()
    {
        var facilitator = await app.RegisterAsync("ines");
        var member = await app.RegisterAsync("theo");
        var circle = await facilitator.CreateCircleAsync("Grief circle", "Ines");
        var typed = $" {circle.InviteCode![..4].ToLowerInvariant()}-{circle.InviteCode[4..].ToLowerInvariant()} ";

        await member.JoinCircleAsync(typed, "Theo");
        var before = await facilitator.CircleAsync(circle.CircleId);
        var again = await member.JoinCircleAsync(circle.InviteCode, "Theo again");

        Assert.Equal(circle.CircleId, again.CircleId);
        var after = await facilitator.CircleAsync(circle.CircleId);
        Assert.Equal(before.LastSeq, after.LastSeq);
        Assert.Equal(["Ines", "Theo"], after.Members.Select(m => m.DisplayName));
        Assert.Single(await member.MyCirclesAsync());
    }

    [Fact]
    public async Task An_unknown_invite_code_is_a_404_problem_and_joins_nothing()
    {
        var member = await app.RegisterAsync("noor");

        var response = await member.Http.PostAsJsonAsync("/api/circles/join", new { inviteCode = "ZZZZ-ZZZZ", displayName = "Noor" });

        var problem = await response.ReadProblemAsync(HttpStatusCode.NotFound);
        Assert.Contains("invite code", problem.Detail, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(await member.MyCirclesAsync());
    }

    [Fact]
    public async Task Someone_outside_a_circle_cannot_read_it_or_its_events()
    {
        var facilitator = await app.RegisterAsync("ruth");
        var outsider = await app.RegisterAsync("olek");
        var circle = await facilitator.CreateCircleAsync("Private circle", "Ruth");

        foreach (var path in new[] { $"/api/circles/{circle.CircleId}", $"/api/circles/{circle.CircleId}/events?afterSeq=0" })
        {
            var problem = await (await outsider.Http.GetAsync(path)).ReadProblemAsync(HttpStatusCode.Forbidden);
            Assert.Contains("not a member", problem.Detail);
        }
        Assert.Empty(await outsider.MyCirclesAsync());
    }

    [Fact]
    public async Task A_circle_that_does_not_exist_is_a_404_problem()
    {
        var user = await app.RegisterAsync("lena");

        await (await user.Http.GetAsync($"/api/circles/{Guid.NewGuid()}")).ReadProblemAsync(HttpStatusCode.NotFound);
    }

    public static TheoryData<string?, string?, string> InvalidNewCircles => new()
    {
        { null, "Maya", "name" },
        { "   ", "Maya", "name" },
        { new string('n', 81), "Maya", "name" },
        { "Fine name", new string('d', 41), "displayName" },
    };

    [Theory]
    [MemberData(nameof(InvalidNewCircles))]
    public async Task Starting_a_circle_with_a_bad_name_is_a_400_with_field_errors_and_starts_nothing(
        string? name, string? displayName, string field)
    {
        var user = await app.RegisterAsync("vera");

        var response = await user.Http.PostAsJsonAsync("/api/circles", new { name, displayName });

        var problem = await response.ReadProblemAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(problem.Errors);
        Assert.Contains(field, problem.Errors.Keys);
        Assert.Empty(await user.MyCirclesAsync());
    }

    [Fact]
    public async Task The_longest_allowed_names_are_accepted()
    {
        var user = await app.RegisterAsync("kai");

        var circle = await user.CreateCircleAsync(new string('n', 80), new string('d', 40));

        Assert.Equal(80, circle.Name.Length);
        Assert.Equal(new string('d', 40), (await user.CircleAsync(circle.CircleId)).Members.Single().DisplayName);
    }

    [Fact]
    public async Task Joining_with_a_bad_name_or_no_code_is_a_400_and_the_circle_is_unchanged()
    {
        var facilitator = await app.RegisterAsync("amara");
        var member = await app.RegisterAsync("jon");
        var circle = await facilitator.CreateCircleAsync("Morning circle", "Amara");
        var before = await facilitator.CircleAsync(circle.CircleId);

        var tooLong = await member.Http.PostAsJsonAsync("/api/circles/join", new { inviteCode = circle.InviteCode, displayName = new string('j', 41) });
        var noCode = await member.Http.PostAsJsonAsync("/api/circles/join", new { displayName = "Jon" });

        Assert.Contains("displayName", (await tooLong.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys);
        Assert.Contains("inviteCode", (await noCode.ReadProblemAsync(HttpStatusCode.BadRequest)).Errors!.Keys);
        var after = await facilitator.CircleAsync(circle.CircleId);
        Assert.Equal(before.LastSeq, after.LastSeq);
        Assert.Equal(["Amara"], after.Members.Select(m => m.DisplayName));
        Assert.Empty(await member.MyCirclesAsync());
    }

    [Fact]
    public async Task A_body_that_is_not_json_is_a_400_and_starts_nothing()
    {
        var user = await app.RegisterAsync("ola");

        var response = await user.Http.PostAsync("/api/circles", new StringContent("{ name: ", Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await user.MyCirclesAsync());
    }

    public static TheoryData<string, string> CircleEndpoints => new()
    {
        { "GET", "/api/circles" },
        { "POST", "/api/circles" },
        { "POST", "/api/circles/join" },
        { "GET", $"/api/circles/{Guid.NewGuid()}" },
        { "GET", $"/api/circles/{Guid.NewGuid()}/events" },
    };

    [Theory]
    [MemberData(nameof(CircleEndpoints))]
    public async Task Without_a_valid_token_every_circle_endpoint_answers_401(string method, string path)
    {
        using var anonymous = app.Anonymous();
        using var forged = app.Anonymous();
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-real-token");

        foreach (var client in new[] { anonymous, forged })
        {
            var request = new HttpRequestMessage(new HttpMethod(method), path);
            if (method == "POST") request.Content = JsonContent.Create(new { name = "Sneaky", inviteCode = "ABCDEFGH" });
            var response = await client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
    }

    [Fact]
    public async Task Events_come_in_pages_in_order()
    {
        var facilitator = await app.RegisterAsync("iris");
        var circle = await facilitator.CircleWithMembersAsync(await app.RegisterAsync("ben"), await app.RegisterAsync("cleo"));

        var first = await facilitator.EventsAsync(circle.CircleId, afterSeq: 0, max: 2);
        var rest = await facilitator.EventsAsync(circle.CircleId, afterSeq: (long)first.Events[^1]["seq"]!, max: 2);

        Assert.True(first.HasMore);
        Assert.False(rest.HasMore);
        Assert.Equal([1L, 2L, 3L], first.Events.Concat(rest.Events).Select(e => (long)e["seq"]!));
        Assert.Equal(["circle-created", "member-joined", "member-joined"], first.Events.Concat(rest.Events).Select(e => (string)e["type"]!));
    }

    private static List<(Guid, string, string)> Summaries(IEnumerable<MyCircle> circles) =>
        circles.Select(c => (c.CircleId, c.Name, c.Role)).ToList();
}
