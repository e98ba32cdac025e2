using System.Net.WebSockets;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// The app with small server send buffers (so a stalled receiver is full soon), a rate limit that lets a test send
/// fast, and its own <c>Realtime:SlowReceiverTimeout</c>.
/// </summary>
public abstract class SlowReceiverAppFixture(string slowReceiverTimeout) : GroupsAppFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Realtime:SlowReceiverTimeout"] = slowReceiverTimeout,
        ["Realtime:RateLimit:Burst"] = "1000",
        ["Realtime:RateLimit:PerSecond"] = "1000",
        ["Realtime:RateLimit:PersonBurst"] = "1000",
        ["Realtime:RateLimit:PersonPerSecond"] = "1000",
    };

    protected override void ConfigureServices(IServiceCollection services) => StalledReceiver.SmallSendBuffers(services);
}

/// <summary>A stalled connection is left open for ten minutes.</summary>
public sealed class PatientTransportAppFixture() : SlowReceiverAppFixture("00:10:00")
{
    public const string Collection = "Groups app, slow receivers kept open";
}

[CollectionDefinition(PatientTransportAppFixture.Collection)]
public sealed class PatientTransportAppCollection : ICollectionFixture<PatientTransportAppFixture>;

/// <summary>A connection nobody reads is closed after two seconds instead of ten.</summary>
public sealed class QuickSendTimeoutAppFixture() : SlowReceiverAppFixture("00:00:02")
{
    public const string Collection = "Groups app, slow receivers closed after two seconds";
}

[CollectionDefinition(QuickSendTimeoutAppFixture.Collection)]
public sealed class QuickSendTimeoutAppCollection : ICollectionFixture<QuickSendTimeoutAppFixture>;

/// <summary>
/// A phone that keeps its connection open but stops reading (an app frozen in the background, a network that only
/// carries one way): its buffers fill and the server can no longer hand it anything. Nobody else may notice.
/// </summary>
internal static class StalledReceiver
{
    /// <summary>A kernel receive buffer this small fills after a few check-ins (each push is about 1.2 KB here).</summary>
    public const int ReceiveBufferBytes = 4096;

    /// <summary>
    /// The server's sockets get a fixed 32 KB send buffer (accepted sockets inherit it from the listening one) instead
    /// of Linux's autotuned up to 4 MB, so that a stalled receiver is full after a few hundred pushes, not thousands.
    /// </summary>
    public static void SmallSendBuffers(IServiceCollection services) =>
        services.Configure<SocketTransportOptions>(options => options.CreateBoundListenSocket = endpoint =>
        {
            var socket = SocketTransportOptions.CreateDefaultBoundListenSocket(endpoint);
            socket.SendBufferSize = 32 * 1024;
            return socket;
        });

    public static readonly string LongNote = string.Concat(Enumerable.Repeat("A slow morning, and that was fine. ", 30))[..1000];

    public static async Task<RawHubConnection> JoinAsync(Uri app, TestUser user, Guid circleId, int? receiveBufferBytes = null)
    {
        var (connection, refused) = await RawHubConnection.OpenAsync(app, user.Token, receiveBufferBytes: receiveBufferBytes);
        Assert.Null(refused);
        await connection!.HandshakeAsync();
        var joined = await connection.InvokeAsync("join", "JoinCircle", circleId.ToString(), 0);
        Assert.NotNull(joined["result"]);
        return connection;
    }

    public static async Task<string> CheckInAsync(RawHubConnection author, Guid circleId, string clientEventId)
    {
        var entry = new JsonObject
        {
            ["clientEventId"] = clientEventId, ["capacity"] = "some", ["feelings"] = new JsonArray("tired"),
            ["note"] = LongNote, ["visibility"] = "circle",
        };
        var completion = await author.InvokeAsync(clientEventId, "CheckIn", circleId.ToString(), entry);
        return (string?)completion["result"]?["eventId"] ?? throw new InvalidOperationException($"Refused: {completion.ToJsonString()}");
    }

    public static IEnumerable<JsonObject> CheckIns(this RawHubConnection connection) =>
        connection.Received.Where(m => (string?)m["target"] == "circleEvent")
            .Select(m => m["arguments"]![0]!.AsObject())
            .Where(e => (string?)e["type"] == "check-in");

    public static string MemberIdOf(JsonObject joinResult, string displayName) =>
        (string)joinResult["result"]!["members"]!.AsArray().Single(m => (string)m!["displayName"]! == displayName)!["memberId"]!;
}

[Collection(PatientTransportAppFixture.Collection)]
public sealed class SlowReceiverTests(PatientTransportAppFixture app)
{
    private const int CheckInsSent = 300;

    [Fact]
    public async Task A_member_whose_app_stops_reading_holds_up_nobody_and_hears_everything_in_order_once_it_reads_again()
    {
        var (fay, sol, rae) = (await app.RegisterAsync("fay"), await app.RegisterAsync("sol"), await app.RegisterAsync("rae"));
        var (bo, bea) = (await app.RegisterAsync("bo"), await app.RegisterAsync("bea"));
        var circle = await fay.CircleWithMembersAsync(sol, rae);
        var otherCircle = await bo.CircleWithMembersAsync(bea);

        await using var stalled = await StalledReceiver.JoinAsync(app.BaseAddress, sol, circle.CircleId, StalledReceiver.ReceiveBufferBytes);
        await using var reader = await StalledReceiver.JoinAsync(app.BaseAddress, rae, circle.CircleId);
        await using var author = await StalledReceiver.JoinAsync(app.BaseAddress, fay, circle.CircleId);
        await using var elsewhere = await StalledReceiver.JoinAsync(app.BaseAddress, bea, otherCircle.CircleId);
        await using var otherAuthor = await StalledReceiver.JoinAsync(app.BaseAddress, bo, otherCircle.CircleId);

        // From here on sol's app reads nothing: far more arrives for it than its buffers and the server's can hold.
        var sent = new List<string>();
        for (var i = 0; i < CheckInsSent; i++)
            sent.Add(await StalledReceiver.CheckInAsync(author, circle.CircleId, $"fay-{i}"));
        var otherCircleCheckIn = await StalledReceiver.CheckInAsync(otherAuthor, otherCircle.CircleId, "bo-after");

        // Everyone else hears everything live: the same circle and another circle on the same host.
        await reader.WaitForAsync(m => HasEvent(m, sent[^1]), "rae to hear fay's last check-in while sol's app reads nothing");
        Assert.Equal(sent, reader.CheckIns().Select(e => (string)e["eventId"]!));
        await elsewhere.WaitForAsync(m => HasEvent(m, otherCircleCheckIn), "bea, in another circle, to hear bo's check-in");

        // Sol's app reads again: nothing was dropped, nothing reordered.
        await stalled.WaitForAsync(m => HasEvent(m, sent[^1]), "sol to hear fay's last check-in once reading again");
        Assert.Equal(sent, stalled.CheckIns().Select(e => (string)e["eventId"]!));
    }

    private static bool HasEvent(JsonObject message, string eventId) =>
        (string?)message["target"] == "circleEvent" && (string?)message["arguments"]![0]!["eventId"] == eventId;
}

[Collection(QuickSendTimeoutAppFixture.Collection)]
public sealed class SlowReceiverTimeoutTests(QuickSendTimeoutAppFixture app)
{
    [Fact]
    public async Task A_connection_that_takes_nothing_for_the_send_timeout_is_closed_and_the_circle_sees_that_member_go()
    {
        var (fay, sol) = (await app.RegisterAsync("fay"), await app.RegisterAsync("sol"));
        var circle = await fay.CircleWithMembersAsync(sol);

        await using var stalled = await StalledReceiver.JoinAsync(app.BaseAddress, sol, circle.CircleId, StalledReceiver.ReceiveBufferBytes);
        var solId = StalledReceiver.MemberIdOf(stalled.Received.Single(m => (string?)m["invocationId"] == "join"), "sol");
        // Fay's app reads all the time: while it waits for each answer, and in between.
        await using var author = await StalledReceiver.JoinAsync(app.BaseAddress, fay, circle.CircleId);
        await author.WaitForAsync(m => Present(m)?.Contains(solId) == true, "sol to be shown as here");

        // Check-ins keep coming until sol's connection is closed; the cap only keeps a broken build from looping on.
        for (var i = 0; i < 3000 && !author.Received.Any(m => Present(m) is { } ids && !ids.Contains(solId)); i++)
            await StalledReceiver.CheckInAsync(author, circle.CircleId, $"fay-{i}");

        await author.WaitForAsync(m => Present(m) is { } ids && !ids.Contains(solId), "sol to be shown as gone once the server closed the stalled connection");
        // Sol's app, reading again, finds the connection closed: it reconnects and catches up from the circle's log.
        var closed = await Assert.ThrowsAsync<WebSocketException>(() =>
            stalled.WaitForAsync(_ => false, "the end of the stalled connection"));
        Assert.Contains("closed", closed.Message);
        // The check-ins stored meanwhile are all there for it.
        Assert.Contains((await sol.EventsAsync(circle.CircleId)).Events, e => (string?)e["type"] == "check-in");
    }

    private static HashSet<string>? Present(JsonObject message) =>
        (string?)message["target"] == "presence"
            ? message["arguments"]![0]!["memberIds"]!.AsArray().Select(id => (string)id!).ToHashSet()
            : null;
}
