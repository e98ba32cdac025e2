using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Push;

/// <summary>
/// A push service of our own on loopback: it takes what the app sends to a subscription's endpoint, answers 201 (or
/// 410 for an endpoint marked gone), and keeps each request with its headers and body for the test to check.
/// </summary>
public sealed class PushServiceSink : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly ConcurrentDictionary<string, bool> _gone = new();
    private readonly ConcurrentQueue<ReceivedPush> _received = new();
    private readonly SemaphoreSlim _arrived = new(0);

    public PushServiceSink()
    {
        Port = LoopbackPorts.Free();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _ = Task.Run(ServeAsync);
    }

    public int Port { get; }

    /// <summary>The push service's origin, as the app must name it in Push:Services (and as VAPID's audience).</summary>
    public string Origin => $"http://127.0.0.1:{Port}";

    /// <summary>A new browser's subscription at this service, with its own keys.</summary>
    public TestBrowserSubscription NewSubscription() => new($"{Origin}/push/{Guid.NewGuid():N}");

    /// <summary>From now on, the service answers 410 Gone for this subscription, as for a browser that unsubscribed.</summary>
    public void MarkGone(TestBrowserSubscription subscription) => _gone[new Uri(subscription.Endpoint).AbsolutePath] = true;

    public IReadOnlyList<ReceivedPush> To(TestBrowserSubscription subscription) =>
        _received.Where(r => r.Path == new Uri(subscription.Endpoint).AbsolutePath).ToList();

    /// <summary>Waits (up to a generous bound) until <paramref name="count"/> pushes reached the subscription.</summary>
    public async Task<IReadOnlyList<ReceivedPush>> WaitForAsync(TestBrowserSubscription subscription, int count = 1)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(1);
        while (To(subscription).Count < count && DateTime.UtcNow < deadline)
            await _arrived.WaitAsync(TimeSpan.FromSeconds(1));
        var received = To(subscription);
        Assert.True(received.Count >= count, $"Expected {count} push(es), got {received.Count}.");
        return received;
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception) when (!_listener.IsListening)
            {
                return;
            }
            catch (HttpListenerException)
            {
                return;
            }
            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var headers = context.Request.Headers.AllKeys.OfType<string>()
                .ToDictionary(k => k, k => context.Request.Headers[k] ?? "", StringComparer.OrdinalIgnoreCase);
            var path = context.Request.Url!.AbsolutePath;
            _received.Enqueue(new ReceivedPush(path, context.Request.HttpMethod, headers, body.ToArray()));
            context.Response.StatusCode = _gone.ContainsKey(path) ? 410 : 201;
            context.Response.Close();
            _arrived.Release();
        }
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
    }
}

public sealed record ReceivedPush(string Path, string Method, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    /// <summary>
    /// Checks the VAPID Authorization header (RFC 8292: "vapid t=JWT, k=key"): signed with ES256 by the key it names,
    /// which must be the app's, for this push service's origin, not expired. Returns the JWT's claims.
    /// </summary>
    public JsonObject VerifyVapid(string appPublicKey, string audience)
    {
        Assert.True(Headers.TryGetValue("Authorization", out var authorization), "No Authorization header");
        Assert.StartsWith("vapid ", authorization);
        var parameters = authorization["vapid ".Length..].Split(',', StringSplitOptions.TrimEntries)
            .Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        Assert.Equal(appPublicKey, parameters["k"]);
        var parts = parameters["t"].Split('.');
        Assert.Equal(3, parts.Length);
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        Assert.Equal("ES256", (string?)header["alg"]);
        var key = Base64Url.DecodeFromChars(parameters["k"]);
        using var ecdsa = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = key[1..33], Y = key[33..] },
        });
        Assert.True(ecdsa.VerifyData(Encoding.ASCII.GetBytes($"{parts[0]}.{parts[1]}"), Base64Url.DecodeFromChars(parts[2]),
            HashAlgorithmName.SHA256), "The VAPID signature does not verify with the app's public key");
        var claims = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        Assert.Equal(audience, (string?)claims["aud"]);
        var expires = DateTimeOffset.FromUnixTimeSeconds((long)claims["exp"]!);
        Assert.True(expires > DateTimeOffset.UtcNow && expires <= DateTimeOffset.UtcNow.AddHours(24), $"exp {expires} is not within the next 24 hours");
        Assert.False(string.IsNullOrWhiteSpace((string?)claims["sub"]), "No sub (contact) claim");
        return claims;
    }
}

/// <summary>
/// What a browser holds for one subscription: its P-256 key pair and auth secret. Decrypts what the push service was
/// given, as the browser would (RFC 8291 on RFC 8188's aes128gcm), proving the app encrypted it for this browser.
/// </summary>
public sealed class TestBrowserSubscription(string endpoint) : IDisposable
{
    private readonly ECDiffieHellman _key = ECDiffieHellman.Create(ECCurve.NamedCurves.nistP256);
    private readonly byte[] _auth = RandomNumberGenerator.GetBytes(16);

    public string Endpoint { get; } = endpoint;

    public byte[] PublicKey
    {
        get
        {
            var q = _key.ExportParameters(false).Q;
            return [0x04, .. q.X!, .. q.Y!];
        }
    }

    /// <summary>As PushSubscription.toJSON() gives it.</summary>
    public object ToJson() => new
    {
        endpoint = Endpoint,
        expirationTime = (object?)null,
        keys = new { p256dh = Base64Url.EncodeToString(PublicKey), auth = Base64Url.EncodeToString(_auth) },
    };

    public JsonObject Decrypt(ReceivedPush push)
    {
        Assert.Equal("aes128gcm", push.Headers["Content-Encoding"]);
        var body = push.Body;
        var salt = body[..16];
        var recordSize = (body[16] << 24) | (body[17] << 16) | (body[18] << 8) | body[19];
        var idLength = body[20];
        Assert.Equal(65, idLength);
        var serverKey = body[21..(21 + idLength)];
        var cipher = body[(21 + idLength)..];
        Assert.True(cipher.Length <= recordSize, "More than one record");

        using var server = ECDiffieHellman.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = serverKey[1..33], Y = serverKey[33..] },
        });
        var shared = _key.DeriveRawSecretAgreement(server.PublicKey);
        byte[] keyInfo = [.. "WebPush: info\0"u8, .. PublicKey, .. serverKey];
        var ikm = HKDF.DeriveKey(HashAlgorithmName.SHA256, shared, 32, _auth, keyInfo);
        var contentKey = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 16, salt, "Content-Encoding: aes128gcm\0"u8.ToArray());
        var nonce = HKDF.DeriveKey(HashAlgorithmName.SHA256, ikm, 12, salt, "Content-Encoding: nonce\0"u8.ToArray());

        var plain = new byte[cipher.Length - 16];
        using (var aes = new AesGcm(contentKey, 16))
            aes.Decrypt(nonce, cipher[..^16], cipher[^16..], plain);
        // The last record ends with the delimiter 0x02, then any padding zeros.
        var end = plain.Length - 1;
        while (end >= 0 && plain[end] == 0) end--;
        Assert.True(end >= 0 && plain[end] == 2, "No last-record delimiter");
        return JsonNode.Parse(plain.AsSpan(0, end))!.AsObject();
    }

    public void Dispose() => _key.Dispose();
}
