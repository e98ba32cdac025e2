using BetweenSessions.Groups.Web.Accounts;
using BetweenSessions.Groups.Web.Components.Circles;
using BetweenSessions.Groups.Web.Components.Connection;
using Microsoft.AspNetCore.Components.Server;
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
        // A phone that sleeps pauses its circuit (app.js) and gets the page's persisted state to hold; a circuit whose
        // phone just dropped off is persisted on this host when it is let go. Either resumes for this long: a phone put
        // down in the evening picks up its drafts the next morning. At most MaxRetained are held here at once.
        services.Configure<CircuitOptions>(options => options.PersistedCircuitInMemoryRetentionPeriod = TimeSpan.FromHours(12));
        return services;
    }
}
