using System.Collections.Concurrent;
using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Localization;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// Hub connections outlive the request that opened them, so after "Sign out everywhere" (or a reset password, or a
/// deleted account) their sign-in is checked again: on each call, and for quiet connections that only listen, on a
/// timer. A connection whose sign-in no longer stands is closed, and with it the pushes it would still receive.
/// </summary>
internal sealed class SignedInConnections(SessionStamps stamps, IOptions<AccountOptions> options, ILogger<SignedInConnections> logger)
    : BackgroundService, IHubFilter
{
    public static string SignedOut => ServerText.Get("Hub.SignedOut");

    private readonly ConcurrentDictionary<string, HubCallerContext> _open = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        if (!await stamps.IsCurrentAsync(invocationContext.Context.User!))
        {
            invocationContext.Context.Abort();
            throw new HubException(SignedOut);
        }
        return await next(invocationContext);
    }

    public Task OnConnectedAsync(HubLifetimeContext context, Func<HubLifetimeContext, Task> next)
    {
        _open[context.Context.ConnectionId] = context.Context;
        return next(context);
    }

    public Task OnDisconnectedAsync(HubLifetimeContext context, Exception? exception, Func<HubLifetimeContext, Exception?, Task> next)
    {
        _open.TryRemove(context.Context.ConnectionId, out _);
        return next(context, exception);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.SessionCheck);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            foreach (var (_, connection) in _open)
            {
                try
                {
                    if (!await stamps.IsCurrentAsync(connection.User!)) connection.Abort();
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    logger.LogWarning(ex, "Could not check a hub connection's sign-in; it is checked again next time");
                }
            }
        }
    }
}
