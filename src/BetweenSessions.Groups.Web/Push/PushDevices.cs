using System.Buffers.Text;
using System.Security.Cryptography;
using BetweenSessions.Groups.Data;
using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace BetweenSessions.Groups.Web.Push;

/// <summary>
/// Where push subscriptions are kept, one per browser (its endpoint is unique), each with the device cookie of the
/// browser that made it, so that signing out there removes it. A browser that someone else turns push on in becomes
/// theirs: a shared phone buzzes for whoever last chose it, never for two people.
/// </summary>
public sealed class PushDevices(IDbContextFactory<GroupsDbContext> contexts, TimeProvider time)
{
    /// <summary>A handful of phones and browsers; the oldest makes way for a new one, so a lost phone does not block the next.</summary>
    public const int PerPerson = 5;

    public const string Cookie = "bsg.device";

    public async Task SaveAsync(string userId, string deviceId, ValidPushSubscription subscription, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        var record = await db.PushSubscriptions.SingleOrDefaultAsync(s => s.Endpoint == subscription.Endpoint, ct);
        var isNew = record is null;
        if (record is null)
        {
            record = new PushSubscriptionRecord { Endpoint = subscription.Endpoint };
            db.PushSubscriptions.Add(record);
        }
        (record.UserId, record.DeviceId, record.P256dh, record.Auth, record.CreatedAt) =
            (userId, deviceId, subscription.P256dh, subscription.Auth, time.GetUtcNow());
        // A browser holds one subscription for the app: a new one from it (renewed by the browser, or after turning push
        // off and on) replaces its old one, which would otherwise be pushed to until its service said it was gone.
        var replaced = await db.PushSubscriptions.Where(s => s.UserId == userId && s.DeviceId == deviceId && s.Endpoint != subscription.Endpoint)
            .ToListAsync(ct);
        var others = await db.PushSubscriptions.Where(s => s.UserId == userId && s.DeviceId != deviceId && s.Endpoint != subscription.Endpoint)
            .OrderByDescending(s => s.Id).Skip(PerPerson - 1).ToListAsync(ct);
        db.PushSubscriptions.RemoveRange(replaced.Concat(others));
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (isNew)
        {
            // The same browser sent it twice at once: the other request stored it, which is all that was asked.
        }
    }

    public async Task<IReadOnlyList<PushSubscriptionRecord>> ForAsync(string userId, CancellationToken ct = default)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.PushSubscriptions.AsNoTracking().Where(s => s.UserId == userId).ToListAsync(ct);
    }

    public async Task<bool> HasAsync(string userId, string? deviceId, CancellationToken ct = default)
    {
        if (deviceId is null) return false;
        await using var db = await contexts.CreateDbContextAsync(ct);
        return await db.PushSubscriptions.AnyAsync(s => s.UserId == userId && s.DeviceId == deviceId, ct);
    }

    /// <summary>Signed out on this browser.</summary>
    public Task ForgetDeviceAsync(string userId, string deviceId, CancellationToken ct = default) =>
        DeleteAsync(s => s.UserId == userId && s.DeviceId == deviceId, ct);

    /// <summary>Signed out everywhere, or the account is deleted.</summary>
    public Task ForgetAllAsync(string userId, CancellationToken ct = default) => DeleteAsync(s => s.UserId == userId, ct);

    /// <summary>The push service says the subscription is gone (404 or 410).</summary>
    public Task ForgetEndpointAsync(string endpoint, CancellationToken ct = default) => DeleteAsync(s => s.Endpoint == endpoint, ct);

    private async Task DeleteAsync(System.Linq.Expressions.Expression<Func<PushSubscriptionRecord, bool>> which, CancellationToken ct)
    {
        await using var db = await contexts.CreateDbContextAsync(ct);
        await db.PushSubscriptions.Where(which).ExecuteDeleteAsync(ct);
    }

    /// <summary>This browser's device id from its cookie; null when it has none or it was tampered into something else.</summary>
    public static string? DeviceOf(HttpContext context) =>
        context.Request.Cookies[Cookie] is { Length: 22 } id && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_') ? id : null;

    /// <summary>This browser's device id, given it now if it had none: long-lived, unreadable by scripts, sent only here.</summary>
    public static string EnsureDevice(HttpContext context)
    {
        if (DeviceOf(context) is { } id) return id;
        id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        context.Response.Cookies.Append(Cookie, id, new CookieOptions
        {
            HttpOnly = true,
            Secure = context.Request.IsHttps,
            SameSite = SameSiteMode.Lax,
            IsEssential = true,
            MaxAge = TimeSpan.FromDays(400),
        });
        return id;
    }
}
