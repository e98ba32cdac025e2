using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Components.Circles;
using BetweenSessions.Groups.Web.Components.Connection;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Radzen;

namespace BetweenSessions.Groups.Web.Infrastructure;

internal static class UiExtensions
{
    public static IServiceCollection AddGroupsUi(this IServiceCollection services)
    {
        services.AddRadzenComponents();
        services.AddScoped<UserDisplayNames>();
        services.AddSingleton<Circles.CircleInvitations>();
        // One instance per circuit, both as the handler Blazor calls and as the service pages listen to.
        services.AddScoped<CircuitConnection>();
        services.AddScoped<CircuitHandler>(provider => provider.GetRequiredService<CircuitConnection>());
        services.AddScoped<DeviceOutbox>();
        return services;
    }
}
