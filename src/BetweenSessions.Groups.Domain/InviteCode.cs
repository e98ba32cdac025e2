using System.Security.Cryptography;

namespace BetweenSessions.Groups.Domain;

public static class InviteCode
{
    // No 0/O, 1/I/L: codes are read aloud in a room and typed on phones.
    private const string Alphabet = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Limits.InviteCode);

    /// <summary>Accepts what people type: any case, spaces and dashes.</summary>
    public static string Normalize(string? code) =>
        new((code ?? "").Where(c => !char.IsWhiteSpace(c) && c != '-').Select(char.ToUpperInvariant).ToArray());
}
