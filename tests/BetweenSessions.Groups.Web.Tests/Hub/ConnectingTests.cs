using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using static BetweenSessions.Groups.Web.Tests.Hub.HubAssert;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// How clients connect: every SignalR transport and each way of sending the bearer token (tests/hub-client/
/// transports.mjs), and the wire protocol itself spoken by hand over a WebSocket, as documented in
/// docs/realtime-api.md for clients without a SignalR library.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class ConnectingTests(GroupsAppFixture app)
{
    private static readonly string[] Ways =
    [
        "WebSockets, token from the factory", "WebSockets, access_token in the URL", "WebSockets, skipping negotiation",
        "Server-Sent Events", "Long polling", "Long polling, access_token in the URL",
    ];

    [Fact]
    public async Task Every_transport_and_way_of_sending_the_token_joins_writes_and_receives_live()
    {
        var (facilitator, member) = (await app.RegisterAsync("ida"), await app.RegisterAsync("jon"));
        var circle = await facilitator.CircleWithMembersAsync(member);

        var results = await new HubScripts(app).RunAsync<Dictionary<string, Transported>>("transports.mjs",
            People(("facilitator", facilitator), ("member", member)), circle.CircleId);

        Assert.Equal(Ways, results.Keys);
        foreach (var (way, result) in results)
        {
            Assert.Equal("member", result.Role);
            Assert.Equal(way, result.OwnNote);
            Assert.True(result.FacilitatorGotIt, $"{way}: the facilitator did not get the check-in live.");
            Refused(result.Refused, "Capacity must be one of: resting, low, some, steady, open.", way);
        }
        StrictlyIncreasing(results.Values.Select(r => r.Ack.Seq), "the check-ins");
    }

    [Fact]
    public async Task The_wire_protocol_by_hand_handshake_invocations_completions_errors_and_pushes()
    {
        var (facilitator, member) = (await app.RegisterAsync("kim"), await app.RegisterAsync("lev"));
        var circle = await facilitator.CircleWithMembersAsync(member);
        var (opened, refused) = await RawHubConnection.OpenAsync(app.BaseAddress, member.Token);
        Assert.Null(refused);
        await using var hub = opened!;

        Assert.Equal("{}", (await hub.HandshakeAsync()).ToJsonString());

        var join = await hub.InvokeAsync("1", "JoinCircle", circle.CircleId.ToString(), 0);
        Assert.Equal(["invocationId", "result", "type"], join.Select(p => p.Key).Order());
        var joined = join["result"]!.AsObject();
        Assert.Equal(["circleId", "events", "hasMore", "lastSeq", "members", "openRound", "role"], joined.Select(p => p.Key).Order());
        Assert.Equal(("member", 2L, false), ((string)joined["role"]!, (long)joined["lastSeq"]!, (bool)joined["hasMore"]!));
        var presence = await hub.WaitForAsync(m => (string?)m["target"] == "presence", "a presence message");
        Assert.Equal(1, (int)presence["type"]!);
        var present = presence["arguments"]![0]!.AsObject();
        Assert.Equal(circle.CircleId, Guid.Parse((string)present["circleId"]!));
        Assert.Equal([(string)joined["members"]!.AsArray().Single(m => (string)m!["displayName"]! == "lev")!["memberId"]!],
            present["memberIds"]!.AsArray().Select(m => (string)m!));

        var body = new JsonObject { ["clientEventId"] = "phone-1", ["capacity"] = "steady", ["feelings"] = new JsonArray("calm"), ["note"] = null, ["visibility"] = "circle" };
        var checkIn = await hub.InvokeAsync("2", "CheckIn", circle.CircleId.ToString(), body);
        var ack = checkIn["result"]!.AsObject();
        Assert.Equal(["eventId", "seq"], ack.Select(p => p.Key).Order());
        Assert.Equal(3L, (long)ack["seq"]!);
        var pushed = await hub.WaitForAsync(m => (string?)m["target"] == "circleEvent", "the check-in pushed back");
        Assert.Equal(["arguments", "target", "type"], pushed.Select(p => p.Key).Order()); // no invocationId: nothing to answer
        var e = pushed["arguments"]![0]!.AsObject();
        Assert.Equal(((string)ack["eventId"]!, "check-in", "steady", "phone-1"), ((string)e["eventId"]!, e.Type(), (string)e["capacity"]!, (string)e["clientEventId"]!));

        var error = await hub.InvokeAsync("3", "CheckIn", circle.CircleId.ToString(), new JsonObject { ["capacity"] = "exhausted", ["visibility"] = "circle" });
        Assert.Equal(["error", "invocationId", "type"], error.Select(p => p.Key).Order());
        Assert.Equal("An unexpected error occurred invoking 'CheckIn' on the server. HubException: Capacity must be one of: resting, low, some, steady, open.",
            (string)error["error"]!);

        var resent = await hub.InvokeAsync("4", "CheckIn", circle.CircleId.ToString(), body.DeepClone());
        Assert.True(JsonNode.DeepEquals(ack, resent["result"]), "The resend did not return the original receipt.");
    }

    [Fact]
    public async Task A_WebSocket_without_a_valid_token_is_refused_before_the_handshake()
    {
        foreach (var token in new[] { null, "not-a-real-token" })
        {
            var (connection, refused) = await RawHubConnection.OpenAsync(app.BaseAddress, token);
            Assert.Null(connection);
            Assert.Equal(HttpStatusCode.Unauthorized, refused);
        }
    }

    [Fact]
    public async Task A_signed_in_browsers_cookie_opens_the_hub_from_the_apps_own_pages_but_never_from_a_foreign_page()
    {
        var (facilitator, member) = (await app.RegisterAsync("max"), await app.RegisterAsync("noa"));
        var circle = await facilitator.CircleWithMembersAsync(member);
        var cookies = new CookieContainer();
        using var browser = new HttpClient(new HttpClientHandler { CookieContainer = cookies }) { BaseAddress = app.BaseAddress };
        var login = await browser.PostAsJsonAsync("/api/identity/login?useCookies=true", new { email = member.Email, password = GroupsAppFixture.Password });
        login.EnsureSuccessStatusCode();
        Assert.Contains(cookies.GetCookies(app.BaseAddress), c => c.Name == "bsg.auth");

        var (own, _) = await RawHubConnection.OpenAsync(app.BaseAddress, token: null, app.BaseAddress.ToString().TrimEnd('/'), cookies);
        await using (own)
        {
            Assert.NotNull(own);
            Assert.Equal("{}", (await own.HandshakeAsync()).ToJsonString());
            var join = await own.InvokeAsync("1", "JoinCircle", circle.CircleId.ToString(), 0);
            Assert.Equal("member", (string)join["result"]!["role"]!);
        }

        // A page elsewhere that gets the browser to send the cookie must not act as the member.
        var (foreign, refused) = await RawHubConnection.OpenAsync(app.BaseAddress, token: null, "https://elsewhere.example", cookies);
        Assert.Null(foreign);
        Assert.Equal(HttpStatusCode.Forbidden, refused);
    }

    private sealed record Transported(string Role, Ack Ack, string OwnNote, bool FacilitatorGotIt, Attempt<JsonObject> Refused);
}
