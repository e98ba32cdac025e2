using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// The version of Identity's tables this model has: 3, with AspNetUserPasskeys. Identity's context reads it from the
/// IdentityOptions of the context's application services while it builds the model, so every host that builds the
/// model (the app, the data tests, the benchmarks) and the design-time factories behind the migrations must say the
/// same, or they would see different tables.
/// </summary>
public static class IdentitySchema
{
    public static readonly Version Version = IdentitySchemaVersions.Version3;

    public static IServiceCollection AddGroupsIdentitySchema(this IServiceCollection services) =>
        services.Configure<IdentityOptions>(options => options.Stores.SchemaVersion = Version);

    /// <summary>What the design-time factories give their contexts as application services: the schema version alone.</summary>
    internal static IServiceProvider DesignTimeServices { get; } = new ServiceCollection().AddGroupsIdentitySchema().BuildServiceProvider();
}
