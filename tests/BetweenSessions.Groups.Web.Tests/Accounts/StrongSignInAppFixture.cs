using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Accounts;

/// <summary>
/// An app where facilitators must sign in with a second step or a passkey (Accounts:RequireStrongSignInForFacilitators),
/// and where every request checks the sign-in cookie's security stamp and makes its principal afresh, which Identity
/// does every 30 minutes: how a person signed in must outlast that.
/// </summary>
public sealed class StrongSignInAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, strong sign-in for facilitators";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Accounts:RequireStrongSignInForFacilitators"] = "true",
    };

    protected override void ConfigureServices(IServiceCollection services) =>
        services.Configure<SecurityStampValidatorOptions>(options => options.ValidationInterval = TimeSpan.Zero);
}

[CollectionDefinition(StrongSignInAppFixture.Collection)]
public sealed class StrongSignInAppCollection : ICollectionFixture<StrongSignInAppFixture>;
