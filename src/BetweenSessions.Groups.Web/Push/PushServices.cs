using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Localization;

namespace BetweenSessions.Groups.Web.Push;

/// <summary>
/// Which endpoints the server will POST to. The endpoint comes from the browser, so without this list anyone signed in
/// could make the server send requests to any address it can reach, internal ones included.
/// </summary>
internal static class PushServices
{
    /// <summary>Chrome and Android (FCM), Firefox (autopush), Safari and iOS (Apple), Edge (WNS).</summary>
    public static readonly IReadOnlyList<string> Known = ["fcm.googleapis.com", "*.push.services.mozilla.com", "web.push.apple.com", "*.notify.windows.com"];

    public static bool IsAllowed(Uri endpoint, PushOptions options)
    {
        if (!string.IsNullOrEmpty(endpoint.UserInfo)) return false;
        foreach (var entry in options.Services)
        {
            // An exact origin, the one way to allow plain http (a test's own push service on loopback).
            if (Uri.TryCreate(entry, UriKind.Absolute, out var origin) && origin.Scheme is "http" or "https")
            {
                if (endpoint.Scheme == origin.Scheme && string.Equals(endpoint.Host, origin.Host, StringComparison.OrdinalIgnoreCase)
                    && endpoint.Port == origin.Port)
                    return true;
            }
            else if (endpoint.Scheme == Uri.UriSchemeHttps && endpoint.IsDefaultPort && HostMatches(endpoint.Host, entry))
            {
                return true;
            }
        }
        return endpoint.Scheme == Uri.UriSchemeHttps && endpoint.IsDefaultPort && Known.Any(k => HostMatches(endpoint.Host, k));
    }

    private static bool HostMatches(string host, string pattern) =>
        pattern.StartsWith("*.", StringComparison.Ordinal)
            ? host.EndsWith(pattern[1..], StringComparison.OrdinalIgnoreCase) && host.Length > pattern.Length - 1
            : string.Equals(host, pattern, StringComparison.OrdinalIgnoreCase);

    /// <summary>What may be logged of an endpoint: its host. The path is the capability to push to someone's browser.</summary>
    public static string Safe(string endpoint) => Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) ? uri.Host : "(not a URL)";

    /// <summary>Validates a browser's subscription; throws <see cref="DomainValidationException"/> naming each wrong field.</summary>
    public static ValidPushSubscription Validate(PushSubscriptionRequest? request, PushOptions options)
    {
        var errors = new Dictionary<string, string[]>();
        var endpoint = request?.Endpoint?.Trim();
        if (string.IsNullOrEmpty(endpoint))
            errors["endpoint"] = [ServerText.Get("Push.NoEndpoint")];
        else if (endpoint.Length > Limits.PushEndpoint)
            errors["endpoint"] = [ServerText.Format("Push.LongEndpoint", Limits.PushEndpoint)];
        else if (!Uri.TryCreate(endpoint, UriKind.Absolute, out var uri) || !IsAllowed(uri, options))
            errors["endpoint"] = [ServerText.Get("Push.Service")];
        var p256dh = Decode(request?.Keys?.P256dh, 65);
        if (p256dh is null || p256dh[0] != 4 || !IsCurvePoint(p256dh))
            errors["keys.p256dh"] = [ServerText.Get("Push.PublicKey")];
        if (Decode(request?.Keys?.Auth, 16) is null)
            errors["keys.auth"] = [ServerText.Get("Push.Secret")];
        if (errors.Count > 0) throw new DomainValidationException(errors);
        return new ValidPushSubscription(endpoint!, request!.Keys!.P256dh!.Trim().TrimEnd('='), request.Keys.Auth!.Trim().TrimEnd('='));
    }

    private static byte[]? Decode(string? text, int length)
    {
        text = text?.Trim().TrimEnd('=');
        if (string.IsNullOrEmpty(text) || text.Length > 100) return null;
        try
        {
            var bytes = System.Buffers.Text.Base64Url.DecodeFromChars(text);
            return bytes.Length == length ? bytes : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    private static bool IsCurvePoint(byte[] point)
    {
        try
        {
            using var key = System.Security.Cryptography.ECDiffieHellman.Create(new System.Security.Cryptography.ECParameters
            {
                Curve = System.Security.Cryptography.ECCurve.NamedCurves.nistP256,
                Q = new() { X = point[1..33], Y = point[33..] },
            });
            return true;
        }
        catch (System.Security.Cryptography.CryptographicException)
        {
            return false;
        }
    }
}

/// <summary>What a browser's PushSubscription.toJSON() gives (expirationTime is ignored).</summary>
public sealed record PushSubscriptionRequest(string? Endpoint, PushSubscriptionKeys? Keys);

public sealed record PushSubscriptionKeys(string? P256dh, string? Auth);

public sealed record ValidPushSubscription(string Endpoint, string P256dh, string Auth);
