using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json.Nodes;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// The hub's wire protocol spoken by hand over a WebSocket (SignalR's JSON protocol: records ended by 0x1E), as a
/// phone client without a SignalR library would. Keeps every frame it received, for the tests to read.
/// </summary>
internal sealed class RawHubConnection : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(15);

    private readonly ClientWebSocket _socket;
    private readonly StringBuilder _pending = new();
    private readonly Decoder _utf8 = Encoding.UTF8.GetDecoder(); // a character may span two frames

    private readonly HttpMessageInvoker? _invoker;

    private RawHubConnection(ClientWebSocket socket, HttpMessageInvoker? invoker) => (_socket, _invoker) = (socket, invoker);

    /// <summary>Every message received so far, in order (pings included).</summary>
    public List<JsonObject> Received { get; } = [];

    /// <summary>
    /// Opens the WebSocket at /hubs/circles (no negotiation: skipNegotiation in SignalR clients) with the token as
    /// access_token (or with a browser's cookies), optionally with an Origin header as a browser sends it. Returns the
    /// HTTP status when the upgrade is refused. receiveBufferBytes: the socket's kernel receive buffer, small for a
    /// client that is to stop reading, so that the server meets a full connection after a few pushes, not megabytes.
    /// language: the Accept-Language a phone app sends.
    /// </summary>
    public static async Task<(RawHubConnection? Connection, HttpStatusCode? Refused)> OpenAsync(
        Uri baseAddress, string? token, string? origin = null, CookieContainer? cookies = null, int? receiveBufferBytes = null,
        string? language = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (cookies is not null) socket.Options.Cookies = cookies;
        if (origin is not null) socket.Options.SetRequestHeader("Origin", origin);
        if (language is not null) socket.Options.SetRequestHeader("Accept-Language", language);
        var query = token is null ? "" : $"?access_token={Uri.EscapeDataString(token)}";
        var uri = new Uri($"ws://{baseAddress.Authority}/hubs/circles{query}");
        using var timeout = new CancellationTokenSource(Patience);
        HttpMessageInvoker? invoker = null; // kept for the connection's life: it owns the socket's handler
        try
        {
            if (receiveBufferBytes is { } bytes)
            {
                // Set before connecting, so the window the client advertises is small from the first packet on.
                invoker = new HttpMessageInvoker(new SocketsHttpHandler
                {
                    ConnectCallback = async (context, ct) =>
                    {
                        var tcp = new Socket(SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = bytes, NoDelay = true };
                        await tcp.ConnectAsync(context.DnsEndPoint, ct);
                        return new NetworkStream(tcp, ownsSocket: true);
                    },
                });
                await socket.ConnectAsync(uri, invoker, timeout.Token);
            }
            else
            {
                await socket.ConnectAsync(uri, timeout.Token);
            }
        }
        catch (WebSocketException)
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            invoker?.Dispose();
            return (null, status);
        }
        return (new RawHubConnection(socket, invoker), null);
    }

    /// <summary>The handshake: the client names the protocol, the server answers with an empty object (or an error).</summary>
    public async Task<JsonObject> HandshakeAsync()
    {
        await SendRawAsync("""{"protocol":"json","version":1}""");
        return await ReceiveAsync();
    }

    public Task SendRawAsync(string json) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, true, CancellationToken.None);

    /// <summary>Sends an invocation (type 1) and waits for its completion (type 3), keeping whatever came meanwhile.</summary>
    public async Task<JsonObject> InvokeAsync(string invocationId, string target, params JsonNode?[] arguments)
    {
        var invocation = new JsonObject
        {
            ["type"] = 1, ["invocationId"] = invocationId, ["target"] = target, ["arguments"] = new JsonArray(arguments),
        };
        await SendRawAsync(invocation.ToJsonString());
        return await WaitForAsync(m => (int?)m["type"] == 3 && (string?)m["invocationId"] == invocationId, $"the completion of {target}");
    }

    /// <summary>Waits until a received message matches, reading more frames as needed.</summary>
    public async Task<JsonObject> WaitForAsync(Func<JsonObject, bool> match, string what)
    {
        var seen = 0;
        using var timeout = new CancellationTokenSource(Patience);
        for (;;)
        {
            for (; seen < Received.Count; seen++)
                if (match(Received[seen])) return Received[seen];
            try
            {
                await ReceiveAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Timed out waiting for {what}. Received {Received.Count} messages, the last ones: " +
                    string.Join(" | ", Received.TakeLast(10).Select(m => m.ToJsonString() is var json && json.Length > 300 ? json[..300] + "…" : json)));
            }
        }
    }

    private async Task<JsonObject> ReceiveAsync(CancellationToken ct = default)
    {
        var buffer = new byte[16 * 1024];
        while (!_pending.ToString().Contains(RecordSeparator))
        {
            var result = await _socket.ReceiveAsync(buffer, ct);
            if (result.MessageType == WebSocketMessageType.Close) throw new WebSocketException("The server closed the connection.");
            var chars = new char[Encoding.UTF8.GetMaxCharCount(result.Count)];
            _pending.Append(chars, 0, _utf8.GetChars(buffer, 0, result.Count, chars, 0));
        }
        var text = _pending.ToString();
        var end = text.IndexOf(RecordSeparator);
        _pending.Remove(0, end + 1);
        var message = JsonNode.Parse(text[..end])!.AsObject();
        Received.Add(message);
        return message;
    }

    public async ValueTask DisposeAsync()
    {
        if (_socket.State == WebSocketState.Open)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            try { await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token); }
            catch (Exception ex) when (ex is WebSocketException or OperationCanceledException) { /* closing is best effort */ }
        }
        _socket.Dispose();
        _invoker?.Dispose();
    }
}
