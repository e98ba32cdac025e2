using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

public sealed record CircleCreated(Guid CircleId, string Name, string Role, string? InviteCode);

public sealed record MyCircle(Guid CircleId, string Name, string Role, DateTimeOffset JoinedAt);

public sealed record CircleMemberInfo(string MemberId, string DisplayName, string Role);

public sealed record CircleDetails(
    Guid CircleId, string Name, string Role, string? InviteCode, long LastSeq, IReadOnlyList<CircleMemberInfo> Members);

public sealed record EventPage(IReadOnlyList<JsonObject> Events, bool HasMore);

public sealed record Problem(int Status, string? Title, string? Detail, Dictionary<string, string[]>? Errors);

/// <summary>The circles REST API as a person's app calls it; each call asserts the status a success answers with.</summary>
public static class CirclesClient
{
    public static async Task<CircleCreated> CreateCircleAsync(this TestUser user, string name, string? displayName = null)
    {
        var response = await user.Http.PostAsJsonAsync("/api/circles", new { name, displayName });
        await ExpectAsync(response, HttpStatusCode.Created);
        return (await response.Content.ReadFromJsonAsync<CircleCreated>())!;
    }

    public static async Task<CircleCreated> JoinCircleAsync(this TestUser user, string inviteCode, string? displayName = null)
    {
        var response = await user.Http.PostAsJsonAsync("/api/circles/join", new { inviteCode, displayName });
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<CircleCreated>())!;
    }

    public static Task<List<MyCircle>> MyCirclesAsync(this TestUser user) => user.GetAsync<List<MyCircle>>("/api/circles");

    public static Task<CircleDetails> CircleAsync(this TestUser user, Guid circleId) =>
        user.GetAsync<CircleDetails>($"/api/circles/{circleId}");

    public static Task<EventPage> EventsAsync(this TestUser user, Guid circleId, long afterSeq = 0, int max = 100) =>
        user.GetAsync<EventPage>($"/api/circles/{circleId}/events?afterSeq={afterSeq}&max={max}");

    /// <summary>A facilitator's new circle that <paramref name="members"/> have joined with its invite code.</summary>
    public static async Task<CircleCreated> CircleWithMembersAsync(this TestUser facilitator, params TestUser[] members)
    {
        var circle = await facilitator.CreateCircleAsync($"Tuesday circle {Guid.NewGuid():N}"[..22], facilitator.Nickname);
        foreach (var member in members) await member.JoinCircleAsync(circle.InviteCode!, member.Nickname);
        return circle;
    }

    /// <summary>Reads an error answer, checking it is ProblemDetails with the given status.</summary>
    public static async Task<Problem> ReadProblemAsync(this HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"Expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonSerializer.Deserialize<Problem>(body, JsonSerializerOptions.Web)!;
        Assert.Equal((int)expected, problem.Status);
        return problem;
    }

    private static async Task<T> GetAsync<T>(this TestUser user, string path)
    {
        var response = await user.Http.GetAsync(path);
        await ExpectAsync(response, HttpStatusCode.OK);
        return (await response.Content.ReadFromJsonAsync<T>())!;
    }

    private static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        if (response.StatusCode != expected)
            Assert.Fail($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri?.PathAndQuery}: expected " +
                        $"{(int)expected}, got {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }
}
