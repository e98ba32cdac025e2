using System.Threading.RateLimiting;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Accounts;

/// <summary>Settings of <see cref="SignInThrottle"/> (section "Accounts:SignInThrottle").</summary>
public sealed class SignInThrottleOptions
{
    /// <summary>Attempts one client address may make at once (a clinic's members after a session share one address).</summary>
    public int Burst { get; set; } = 20;

    /// <summary>Attempts per minute after the burst.</summary>
    public int PerMinute { get; set; } = 10;
}

/// <summary>
/// Per client address, a token bucket over everything that checks a password or creates an account or a reset:
/// signing in, registering, asking for and using reset links. The lockout per account (Identity's) stops guessing one
/// password; this stops trying one password on many accounts at full speed. The address is the forwarded one only
/// from trusted proxies (Program.cs), so a client cannot choose its own bucket.
/// </summary>
internal sealed class SignInThrottle(IOptions<SignInThrottleOptions> options) : IDisposable
{
    public static string Refusal => ServerText.Get("SignIn.Throttled");

    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(address =>
        RateLimitPartition.GetTokenBucketLimiter(address, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, options.Value.Burst),
            TokensPerPeriod = 1,
            ReplenishmentPeriod = TimeSpan.FromMinutes(1) / Math.Max(1, options.Value.PerMinute),
            QueueLimit = 0,
            AutoReplenishment = true,
        }));

    /// <summary>True when this attempt may go ahead; false means answer with <see cref="Refusal"/> and do nothing.</summary>
    public bool TryAcquire(HttpContext context)
    {
        using var lease = _limiter.AttemptAcquire(context.Connection.RemoteIpAddress?.ToString() ?? "unknown");
        return lease.IsAcquired;
    }

    /// <summary>For the Identity API: 429 with a ProblemDetails body and Retry-After.</summary>
    public static async ValueTask<object?> Filter(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (HttpMethods.IsPost(http.Request.Method) && ThrottledApiPaths.Contains(http.Request.Path.Value?.Split('/')[^1] ?? "")
            && !http.RequestServices.GetRequiredService<SignInThrottle>().TryAcquire(http))
        {
            http.Response.Headers.RetryAfter = "60";
            return TypedResults.Problem(Refusal, statusCode: StatusCodes.Status429TooManyRequests, title: ServerText.Get("SignIn.TooMany"));
        }
        return await next(context);
    }

    // Refresh needs a valid refresh token and the manage/* endpoints a signed-in caller, so they are not guessing games.
    private static readonly HashSet<string> ThrottledApiPaths = new(StringComparer.OrdinalIgnoreCase)
    {
        "login", "register", "forgotPassword", "resetPassword", "resendConfirmationEmail",
    };

    public void Dispose() => _limiter.Dispose();
}
