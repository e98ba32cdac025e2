using System.Threading.RateLimiting;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;
using Orleans.Storage;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// Broken rules become HubExceptions, whose message reaches the client; anything else stays a generic error,
/// so internals never leak. Either way the connection stays open.
/// </summary>
internal sealed class DomainErrorsHubFilter(ILogger<DomainErrorsHubFilter> logger) : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex) when (ex is DomainValidationException or CircleAccessDeniedException or CircleNotFoundException)
        {
            throw new HubException(ex.Message);
        }
        catch (InconsistentStateException)
        {
            throw new HubException(ServerText.Get("Hub.Conflict"));
        }
        catch (Exception ex) when (ex is not HubException)
        {
            // Ours to look into, not the client's: log it here, where SignalR's own log (turned down in
            // appsettings.json, as it reports every refused input as a failure) would otherwise carry it.
            logger.LogError(ex, "Hub method {Method} failed", invocationContext.HubMethodName);
            throw new HubException(ServerText.Get("Hub.Failed"));
        }
    }
}

/// <summary>
/// A token bucket per connection, so one runaway client cannot crowd out a circle, and one per person across all
/// their connections, so opening more connections does not multiply what one person can send.
/// </summary>
internal sealed class RateLimitHubFilter(IOptions<RealtimeOptions> options, PersonRateLimiter perPerson) : IHubFilter
{
    private const string LimiterKey = "rate-limiter";

    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var items = invocationContext.Context.Items;
        var limiter = (RateLimiter)items[LimiterKey]!;
        using var lease = limiter.AttemptAcquire();
        if (!lease.IsAcquired)
            throw new HubException(ServerText.Get("Hub.RateLimit"));
        // Only calls the connection let through count against the person, so one noisy device does not use up the
        // allowance of the others.
        using var personLease = perPerson.AttemptAcquire(invocationContext.Context.UserIdentifier ?? invocationContext.Context.ConnectionId);
        if (!personLease.IsAcquired)
            throw new HubException(ServerText.Get("Hub.PersonRateLimit"));
        return await next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        var limit = options.Value.RateLimit;
        context.Context.Items[LimiterKey] = new TokenBucketRateLimiter(Bucket(limit.Burst, limit.PerSecond));
        return next(context);
    }

    public async Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        if (context.Context.Items[LimiterKey] is IAsyncDisposable limiter) await limiter.DisposeAsync();
        await next(context, exception);
    }

    internal static TokenBucketRateLimiterOptions Bucket(int burst, int perSecond) => new()
    {
        TokenLimit = Math.Max(1, burst),
        TokensPerPeriod = Math.Max(1, perSecond),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };
}

/// <summary>
/// One token bucket per person for the whole host. A person's connections to one circle meet on the same host only
/// when the proxy is sticky, so with several hosts the allowance is per person per host (docs/security.md).
/// </summary>
internal sealed class PersonRateLimiter(IOptions<RealtimeOptions> options) : IDisposable
{
    // Full buckets count as idle and are dropped by the partitioned limiter, so people who went quiet cost nothing.
    private readonly PartitionedRateLimiter<string> _limiter = PartitionedRateLimiter.Create<string, string>(person =>
        RateLimitPartition.GetTokenBucketLimiter(person, _ =>
            RateLimitHubFilter.Bucket(options.Value.RateLimit.PersonBurst, options.Value.RateLimit.PersonPerSecond)));

    public RateLimitLease AttemptAcquire(string person) => _limiter.AttemptAcquire(person);

    public void Dispose() => _limiter.Dispose();
}
