using System.Buffers.Text;
using System.Security.Cryptography;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Data.Entities;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Push;

/// <summary>The app's VAPID key pair, base64url: the public key browsers subscribe with, and the private key that signs.</summary>
public sealed record VapidKeyPair(string PublicKey, string PrivateKey);

/// <summary>
/// The VAPID key pair every host signs with: from configuration (Push:PublicKey and Push:PrivateKey), or else made
/// once and kept in the database next to the data-protection key ring, its private half protected by that ring. A
/// subscription is bound to the public key it was made with, so a key that changed would silence every phone.
/// </summary>
public sealed class VapidKeys(IDbContextFactory<GroupsDbContext> contexts, IDataProtectionProvider protection, IOptions<PushOptions> options,
    TimeProvider time, ILogger<VapidKeys> logger)
{
    public const string Purpose = "BetweenSessions.Groups.Push.Vapid.v1";
    private const int Row = 1;

    private readonly SemaphoreSlim _gate = new(1, 1);
    private VapidKeyPair? _keys;

    public async Task<VapidKeyPair> GetAsync(CancellationToken ct = default)
    {
        if (_keys is { } known) return known;
        await _gate.WaitAsync(ct);
        try
        {
            return _keys ??= Configured(options.Value) ?? await StoredAsync(ct);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Both keys, well formed; null when neither is set. Checked at start-up (<see cref="PushExtensions"/>).</summary>
    public static VapidKeyPair? Configured(PushOptions o) =>
        string.IsNullOrWhiteSpace(o.PublicKey) && string.IsNullOrWhiteSpace(o.PrivateKey) ? null : new(o.PublicKey!.Trim(), o.PrivateKey!.Trim());

    public static bool IsWellFormed(PushOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.PublicKey) && string.IsNullOrWhiteSpace(o.PrivateKey)) return true;
        try
        {
            return Base64Url.DecodeFromChars(o.PublicKey?.Trim()) is { Length: 65 } p && p[0] == 4
                && Base64Url.DecodeFromChars(o.PrivateKey?.Trim()) is { Length: 32 };
        }
        catch (FormatException)
        {
            return false;
        }
    }

    private async Task<VapidKeyPair> StoredAsync(CancellationToken ct)
    {
        var protector = protection.CreateProtector(Purpose);
        await using (var db = await contexts.CreateDbContextAsync(ct))
        {
            if (await db.PushVapidKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Id == Row, ct) is { } stored)
                return new(stored.PublicKey, protector.Unprotect(stored.ProtectedPrivateKey));
        }
        var made = Make();
        try
        {
            await using var db = await contexts.CreateDbContextAsync(ct);
            db.PushVapidKeys.Add(new PushVapidKeyRecord
            {
                Id = Row, PublicKey = made.PublicKey, ProtectedPrivateKey = protector.Protect(made.PrivateKey), CreatedAt = time.GetUtcNow(),
            });
            await db.SaveChangesAsync(ct);
            logger.LogInformation("Made the VAPID key pair for push notifications and stored it");
            return made;
        }
        catch (DbUpdateException)
        {
            // Another host made one at the same moment: theirs was stored first, and everyone signs with it.
            await using var db = await contexts.CreateDbContextAsync(ct);
            var stored = await db.PushVapidKeys.AsNoTracking().SingleAsync(k => k.Id == Row, ct);
            return new(stored.PublicKey, protector.Unprotect(stored.ProtectedPrivateKey));
        }
    }

    public static VapidKeyPair Make()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var p = key.ExportParameters(includePrivateParameters: true);
        byte[] point = [0x04, .. p.Q.X!, .. p.Q.Y!];
        return new(Base64Url.EncodeToString(point), Base64Url.EncodeToString(p.D));
    }
}
