using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// What a deployment configures, on an app instance of its own (<see cref="ConfiguredAppFixture"/>): the per-connection
/// rate limit, the browser origins allowed to open the hub, the crisis resources returned with a support request,
/// and log levels that keep tokens out of the logs.
/// </summary>
[Collection(ConfiguredAppFixture.Collection)]
public sealed class DeploymentSettingsTests(ConfiguredAppFixture app)
{
    private const string TooMuch = "That was a lot at once, so this one was not stored. Please wait a few seconds and send it again.";
    private const string TooMuchTogether = "That was a lot at once from your devices together, so this one was not stored. Please wait a few seconds and send it again.";
    private const string Foreign = "https://elsewhere.example";

    [Fact]
    public async Task Past_the_burst_a_call_is_refused_clearly_nothing_is_stored_for_it_and_it_goes_through_after_a_pause()
    {
        var (facilitator, member) = (await app.RegisterAsync("ari"), await app.RegisterAsync("bea"));
        var circle = await facilitator.CircleWithMembersAsync(member);
        var before = (await facilitator.CircleAsync(circle.CircleId)).LastSeq;

        var run = await new HubScripts(app).RunAsync<RateLimited>("rate-limit.mjs", People(("member", member)), circle.CircleId);

        // A burst of 3 calls per connection. The bucket gains a call each second, so the exact split is only certain
        // when the five calls were answered well within that second; otherwise at most one more may have gone through.
        Assert.All(run.Rapid.Take(3), r => Assert.True(r.Ok, r.Error));
        var refused = run.Rapid.Skip(3).Where(r => !r.Ok).ToList();
        Assert.True(run.RapidMs < 500 ? refused.Count == 2 : refused.Count >= 1, $"{refused.Count} of the last 2 refused in {run.RapidMs} ms.");
        Assert.All(refused, r => Refused(r, TooMuch, "a rapid check-in"));
        Assert.True(run.OnOtherConnection.Ok, "The limit is per connection, but a second connection was refused too.");
        Assert.True(run.StillOpen, "A refused call closed the connection.");

        // After a pause the refused ones go through, as new entries: nothing had been stored for them.
        Assert.Equal(refused.Count, run.Retried.Count);
        Assert.All(run.Retried, r => Assert.True(r.Ok, r.Error));
        var stored = (await facilitator.EventsAsync(circle.CircleId, afterSeq: before, max: 200)).Events;
        foreach (var (clientEventId, i) in run.Burst.Select((id, i) => (id, i)))
        {
            var copy = Assert.Single(stored, e => (string?)e["clientEventId"] == clientEventId);
            var ack = run.Rapid[i].Ok ? run.Rapid[i].Value! : run.Retried[run.Rapid.Take(i).Count(r => !r.Ok)].Value!;
            Assert.Equal(ack.Seq, copy.Seq());
        }
        Assert.True(run.Retried.Min(r => r.Value!.Seq) > run.OnOtherConnection.Value!.Seq);

        // JoinCircle counts like any other call.
        Assert.All(run.WithJoin.Take(3), r => Assert.True(r.Ok, r.Error));
        if (run.WithJoinMs < 500) Refused(run.WithJoin[3], TooMuch, "the third write after JoinCircle");
    }

    [Fact]
    public async Task Ten_connections_of_one_person_share_one_allowance_and_nobody_else_is_held_back()
    {
        var (facilitator, member, other) = (await app.RegisterAsync("kai"), await app.RegisterAsync("lou"), await app.RegisterAsync("max"));
        var circle = await facilitator.CircleWithMembersAsync(member, other);
        var before = (await facilitator.CircleAsync(circle.CircleId)).LastSeq;

        var run = await new HubScripts(app).RunAsync<PersonLimited>(
            "person-limit.mjs", People(("member", member), ("other", other)), circle.CircleId);

        // 30 calls, three per connection, so only the person's allowance (20, then 1 a second) can refuse them.
        var accepted = run.Attempts.Count(a => a.Ok);
        Assert.InRange(accepted, 20, 20 + 1 + (int)(run.Ms / 1000));
        Assert.All(run.Attempts.Where(a => !a.Ok), a => Refused(a, TooMuchTogether, "a check-in past the person's allowance"));
        Assert.True(run.Other.Ok, run.Other.Error);
        Assert.True(run.StillOpen, "A refused call closed a connection.");

        // Exactly the acknowledged ones are stored.
        var stored = (await facilitator.EventsAsync(circle.CircleId, afterSeq: before, max: 200)).Events
            .Select(e => (string?)e["clientEventId"]).ToHashSet();
        foreach (var (clientEventId, attempt) in run.ClientEventIds.Zip(run.Attempts))
            Assert.Equal(attempt.Ok, stored.Contains(clientEventId));
    }

    [Fact]
    public async Task RequestSupport_returns_the_configured_crisis_resources_and_only_facilitators_get_the_request_live()
    {
        var (facilitator, member, other) = (await app.RegisterAsync("cas"), await app.RegisterAsync("dev"), await app.RegisterAsync("eve"));
        var circle = await facilitator.CircleWithMembersAsync(member, other);

        var run = await new HubScripts(app).RunAsync<Support>("support.mjs",
            People(("facilitator", facilitator), ("member", member), ("other", other)), circle.CircleId);

        Assert.Equal(ConfiguredAppFixture.CrisisResources.Select(r => new Resource(r.Name, r.Phone, r.Text, r.Url)), run.Ack.Resources);
        Assert.Equal((run.Ack.Seq, "support-requested", "facilitators", "I am not safe tonight.", "dev"),
            (run.AtFacilitator.Seq(), run.AtFacilitator.Type(), (string)run.AtFacilitator["visibility"]!, (string)run.AtFacilitator["note"]!,
                (string)run.AtFacilitator["displayName"]!));
        Assert.NotNull(run.AtMember);
        Assert.Null(run.AtOther);
    }

    [Fact]
    public async Task Browser_connections_from_a_foreign_origin_are_refused_the_apps_own_and_configured_origins_work()
    {
        var (facilitator, member) = (await app.RegisterAsync("fox"), await app.RegisterAsync("gem"));
        var circle = await facilitator.CircleWithMembersAsync(member);
        var own = app.BaseAddress.ToString().TrimEnd('/');

        var run = await new HubScripts(app).RunAsync<Dictionary<string, Connected>>("origin.mjs", People(("member", member)),
            ConfiguredAppFixture.AllowedOrigin, circle.CircleId);

        foreach (var way in new[] { "none", "own", "allowed" })
        {
            foreach (var key in new[] { way, $"{way}, skipping negotiation" })
                Assert.True(run[key] is { Ok: true, Role: "member" }, $"{key}: {run[key].Error}");
        }
        Assert.False(run["foreign"].Ok);
        Assert.Contains("Origin not allowed.", run["foreign"].Error);
        Assert.Contains("403", run["foreign"].Error);
        Assert.False(run["foreign, skipping negotiation"].Ok);

        // The same as plain HTTP and WebSocket requests, as browsers send them.
        foreach (var (origin, expected) in new (string?, HttpStatusCode)[]
                 {
                     (null, HttpStatusCode.OK), (own, HttpStatusCode.OK), (ConfiguredAppFixture.AllowedOrigin, HttpStatusCode.OK),
                     (Foreign, HttpStatusCode.Forbidden), ("http://members.example.test", HttpStatusCode.Forbidden),
                     ("https://evil.members.example.test", HttpStatusCode.Forbidden), ("null", HttpStatusCode.Forbidden),
                 })
        {
            using var negotiate = new HttpRequestMessage(HttpMethod.Post, "/hubs/circles/negotiate?negotiateVersion=1");
            negotiate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", member.Token);
            if (origin is not null) negotiate.Headers.Add("Origin", origin);
            var response = await app.Anonymous().SendAsync(negotiate);
            Assert.True(expected == response.StatusCode, $"negotiate from {origin ?? "no origin"}: {(int)response.StatusCode}");
            if (expected == HttpStatusCode.Forbidden)
                Assert.Equal("Origin not allowed.", (await response.ReadProblemAsync(HttpStatusCode.Forbidden)).Title);

            var (socket, refusedWith) = await RawHubConnection.OpenAsync(app.BaseAddress, member.Token, origin);
            await using (socket)
            {
                if (expected == HttpStatusCode.OK)
                    Assert.Equal("{}", (await socket!.HandshakeAsync()).ToJsonString());
                else
                    Assert.Equal(HttpStatusCode.Forbidden, refusedWith);
            }
        }
    }

    [Fact]
    public async Task A_browser_app_on_a_configured_origin_passes_the_CORS_preflight_and_a_foreign_one_does_not()
    {
        foreach (var (origin, allowed) in new[] { (ConfiguredAppFixture.AllowedOrigin, true), (Foreign, false) })
        {
            using var preflight = new HttpRequestMessage(HttpMethod.Options, "/hubs/circles/negotiate?negotiateVersion=1");
            preflight.Headers.Add("Origin", origin);
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "authorization,x-requested-with");

            var response = await app.Anonymous().SendAsync(preflight);

            var allowOrigin = response.Headers.TryGetValues("Access-Control-Allow-Origin", out var values) ? values.Single() : null;
            Assert.Equal(allowed ? origin : null, allowOrigin);
            if (allowed) Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
    }

    [Fact]
    public async Task Tokens_never_reach_the_logs_whatever_transport_or_way_of_sending_them()
    {
        var (facilitator, member) = (await app.RegisterAsync("hal"), await app.RegisterAsync("ivo"));
        var circle = await facilitator.CircleWithMembersAsync(member);

        await new HubScripts(app).RunAsync<JsonObject>("transports.mjs", People(("facilitator", facilitator), ("member", member)), circle.CircleId);
        var (socket, _) = await RawHubConnection.OpenAsync(app.BaseAddress, member.Token, Foreign); // refused, so possibly logged
        Assert.Null(socket);

        var logs = app.Logs.Entries;
        // The capture works and saw this session: our own code logs each stored entry with the circle's id.
        Assert.Contains(logs, line => line.Contains(circle.CircleId.ToString()));
        foreach (var token in new[] { member.Token, facilitator.Token })
        {
            foreach (var form in new[] { token, Uri.EscapeDataString(token), token[..32] })
                Assert.DoesNotContain(logs, line => line.Contains(form, StringComparison.Ordinal));
        }
    }

    private sealed record Resource(string Name, string? Phone, string? Text, string? Url);

    private sealed record SupportAck(Guid EventId, long Seq, List<Resource> Resources);

    private sealed record PersonLimited(List<string> ClientEventIds, List<Attempt<Ack>> Attempts, long Ms, Attempt<Ack> Other, bool StillOpen);

    private sealed record Support(SupportAck Ack, JsonObject AtFacilitator, JsonObject? AtMember, JsonObject? AtOther);

    private sealed record Connected(bool Ok, string? Role, string? Error);

    private sealed record RateLimited(
        List<string> Burst, List<Attempt<Ack>> Rapid, long RapidMs, Attempt<Ack> OnOtherConnection, List<Attempt<Ack>> Retried,
        List<Attempt<JsonObject>> WithJoin, long WithJoinMs, bool StillOpen);
}
