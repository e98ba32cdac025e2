using BetweenSessions.Groups.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>
/// The app with a clock a test can set back, to write entries "last Tuesday evening" through the grains (which stamp
/// every entry with the app's clock). Its own instance and collection, so that no other test's browser sees the
/// clock move; tests here set it back only while no browser is connected and always return it to now.
/// </summary>
public sealed class ClockedAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, with a clock";

    public SettableClock Clock { get; } = new();

    protected override void ConfigureServices(IServiceCollection services) => services.AddSingleton<TimeProvider>(Clock);

    /// <summary>An account as the register page makes one (display name included), without a browser.</summary>
    public async Task<Account> CreateAccountAsync(string displayName)
    {
        await using var scope = Services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<GroupsUser>>();
        var email = $"{displayName.ToLowerInvariant().Replace(' ', '.')}.{Guid.NewGuid():N}@example.test";
        var user = new GroupsUser { UserName = email, Email = email, DisplayName = displayName };
        var result = await users.CreateAsync(user, Password);
        Assert.True(result.Succeeded, string.Join(" ", result.Errors.Select(e => e.Description)));
        return new Account(user.Id, displayName, email);
    }

    public sealed record Account(string MemberId, string DisplayName, string Email);
}

/// <summary>The system clock, or the system clock moved by an offset while a test writes entries in the past.</summary>
public sealed class SettableClock : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;

    /// <summary>Makes it <paramref name="instant"/> (and then onwards from it) until the returned scope ends.</summary>
    public IDisposable At(DateTimeOffset instant)
    {
        Interlocked.Exchange(ref _offsetTicks, (instant - System.GetUtcNow()).Ticks);
        return new Reset(this);
    }

    private sealed class Reset(SettableClock clock) : IDisposable
    {
        public void Dispose() => Interlocked.Exchange(ref clock._offsetTicks, 0);
    }
}

[CollectionDefinition(ClockedAppFixture.Collection)]
public sealed class ClockedAppCollection : ICollectionFixture<ClockedAppFixture>;
