using System.Buffers.Binary;
using System.Security.Cryptography;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>
/// What an authenticator app shows: RFC 6238 codes (HMAC-SHA1, 30-second steps, 6 digits) from the shared key the app
/// was given, in base32 as the sign-in security page shows it (spaces and case do not matter).
/// </summary>
public static class Totp
{
    private const string Base32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

    public static string Now(string sharedKey) => At(sharedKey, DateTimeOffset.UtcNow);

    public static string At(string sharedKey, DateTimeOffset at)
    {
        Span<byte> counter = stackalloc byte[8];
        BinaryPrimitives.WriteInt64BigEndian(counter, at.ToUnixTimeSeconds() / 30);
        var hash = HMACSHA1.HashData(Decode(sharedKey), counter);
        var offset = hash[^1] & 0x0f;
        var number = BinaryPrimitives.ReadInt32BigEndian(hash.AsSpan(offset, 4)) & 0x7fffffff;
        return (number % 1_000_000).ToString("D6");
    }

    /// <summary>A well-formed code that is not the current one, nor one of the steps around it that a server accepts.</summary>
    public static string Wrong(string sharedKey)
    {
        var now = DateTimeOffset.UtcNow;
        var near = Enumerable.Range(-3, 7).Select(step => At(sharedKey, now.AddSeconds(step * 30))).ToHashSet();
        return Enumerable.Range(0, 1_000_000).Select(n => n.ToString("D6")).First(code => !near.Contains(code));
    }

    private static byte[] Decode(string key)
    {
        var bytes = new List<byte>();
        int buffer = 0, bits = 0;
        foreach (var c in key.ToUpperInvariant())
        {
            if (c is ' ' or '=') continue;
            var value = Base32.IndexOf(c);
            if (value < 0) throw new FormatException($"'{c}' is not a base32 character.");
            buffer = (buffer << 5) | value;
            bits += 5;
            if (bits < 8) continue;
            bytes.Add((byte)(buffer >> (bits - 8)));
            bits -= 8;
        }
        return [.. bytes];
    }
}
