using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Accounts;

/// <summary>
/// The app with sessions checked against their account every second (so "Sign out everywhere" and a deleted account
/// reach open sessions within a test's patience) and a shared-device session that ends after 20 s without activity.
/// </summary>
public sealed class SessionsAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, sessions";
    public static readonly TimeSpan IdleSignOut = TimeSpan.FromSeconds(20);

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Accounts:SessionCheck"] = "00:00:01",
        ["Accounts:IdleSignOut"] = IdleSignOut.ToString(),
    };
}

[CollectionDefinition(SessionsAppFixture.Collection)]
public sealed class SessionsAppCollection : ICollectionFixture<SessionsAppFixture>;
