using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.AspNetCore.SignalR;

namespace BetweenSessions.Groups.Web.Realtime;

internal static class RealtimeExtensions
{
    public static IHostApplicationBuilder AddGroupsRealtime(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSignalR(options =>
            {
                // Every field of the largest message fits with room to spare; anything bigger is not ours.
                options.MaximumReceiveMessageSize = 32 * 1024;
                options.AddFilter<DomainErrorsHubFilter>();
            });
        builder.Services.AddSingleton<CircleHubRelay>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CircleHubRelay>());
        return builder;
    }

    public static IEndpointRouteBuilder MapGroupsRealtime(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapHub<CircleHub>("/hubs/circles");
        return endpoints;
    }
}

/// <summary>
/// Broken rules become HubExceptions, whose message reaches the client; anything else stays a generic error,
/// so internals never leak. Either way the connection stays open.
/// </summary>
internal sealed class DomainErrorsHubFilter : IHubFilter
{
    public async ValueTask<object?> InvokeMethodAsync(
        HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        try
        {
            return await next(invocationContext);
        }
        catch (DomainValidationException invalid)
        {
            throw new HubException(invalid.Message);
        }
        catch (CircleAccessDeniedException denied)
        {
            throw new HubException(denied.Message);
        }
        catch (CircleNotFoundException notFound)
        {
            throw new HubException(notFound.Message);
        }
        catch (InconsistentStateException)
        {
            throw new HubException("The circle changed at the same moment; nothing was stored. Please send it again.");
        }
    }
}
