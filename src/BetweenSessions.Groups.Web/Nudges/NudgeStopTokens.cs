using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;

namespace BetweenSessions.Groups.Web.Nudges;

/// <summary>
/// The one-click stop link's token: the member id, protected for this purpose only and valid for a while, so no sign-in
/// is needed and nobody can make one for someone else. Tokens are secrets: never log them.
/// </summary>
public sealed class NudgeStopTokens(IDataProtectionProvider protection, TimeProvider time)
{
    public const string Purpose = "BetweenSessions.Groups.Nudges.EmailStop.v1";
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(90);

    private readonly ITimeLimitedDataProtector _protector = protection.CreateProtector(Purpose).ToTimeLimitedDataProtector();

    public string Create(string memberId) => _protector.Protect(memberId, time.GetUtcNow() + Lifetime);

    /// <summary>The member the token names, or null for a forged, damaged or expired one.</summary>
    public string? Read(string? token)
    {
        if (string.IsNullOrWhiteSpace(token) || token.Length > 2000) return null;
        try
        {
            return _protector.Unprotect(token, out _);
        }
        catch (CryptographicException)
        {
            return null;
        }
    }
}
