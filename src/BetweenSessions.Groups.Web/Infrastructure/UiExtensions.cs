using BetweenSessions.Groups.Web.Accounts;
using Radzen;

namespace BetweenSessions.Groups.Web.Infrastructure;

internal static class UiExtensions
{
    public static IServiceCollection AddGroupsUi(this IServiceCollection services)
    {
        services.AddRadzenComponents();
        services.AddScoped<UserDisplayNames>();
        return services;
    }
}
