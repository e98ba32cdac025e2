using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>
/// The real app on a real Kestrel loopback port (browsers and the node SignalR client need one), in Development
/// (static web assets), with a fresh SQLite file database in a temp folder. One per test collection.
/// </summary>
public class GroupsAppFixture : IAsyncLifetime
{
    public const string Password = "a calm password 42";

    private readonly string _dataFolder;
    private readonly bool _ownsDataFolder;
    private GroupsAppFactory? _factory;

    public GroupsAppFixture() : this(Directory.CreateTempSubdirectory("bsg-web-tests-").FullName, ownsDataFolder: true) { }

    /// <summary>An app on an existing data folder (its database), which it leaves behind: a restart is a second one.</summary>
    public static GroupsAppFixture OnDataFolder(string dataFolder) => new(dataFolder, ownsDataFolder: false);

    // Fixtures may have one public constructor only (xunit builds them).
    protected GroupsAppFixture(string dataFolder, bool ownsDataFolder)
    {
        _dataFolder = dataFolder;
        _ownsDataFolder = ownsDataFolder;
    }

    /// <summary>http://localhost:PORT — localhost, not 127.0.0.1, so browsers treat it as a normal secure-ish host.</summary>
    public Uri BaseAddress { get; private set; } = default!;

    /// <summary>Configuration on top of the defaults, for fixtures that need the app tuned differently.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>True keeps appsettings.json's log levels, as a deployment runs; the default quiets the app to warnings.</summary>
    protected virtual bool KeepAppLogLevels => false;

    /// <summary>Adds logging providers, for fixtures that read what the app logs.</summary>
    protected virtual void ConfigureLogging(ILoggingBuilder logging) { }

    /// <summary>Replaces app services after the app registered its own, for fixtures that need one swapped (a clock).</summary>
    protected virtual void ConfigureServices(IServiceCollection services) { }

    public ValueTask InitializeAsync()
    {
        _factory = new GroupsAppFactory(_dataFolder, this);
        _factory.UseKestrel(0);
        _factory.StartServer();
        var address = _factory.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        BaseAddress = new Uri($"http://localhost:{new Uri(address).Port}");
        return ValueTask.CompletedTask;
    }

    /// <summary>The running app's services, for writing entries straight through its grains where no REST write exists.</summary>
    public IServiceProvider Services => (_factory ?? throw new InvalidOperationException("The app is not started.")).Services;

    /// <summary>A client with no credentials at all.</summary>
    public HttpClient Anonymous() => new() { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>The same person on another device: their token, and cookies of its own (a device id, say).</summary>
    public HttpClient OnAnotherDevice(TestUser user)
    {
        var http = Anonymous();
        http.DefaultRequestHeaders.Authorization = new("Bearer", user.Token);
        return http;
    }

    /// <summary>Registers a new account through the Identity API and signs it in for a bearer token.</summary>
    public async Task<TestUser> RegisterAsync(string nickname)
    {
        var email = $"{nickname}.{Guid.NewGuid():N}@example.test";
        var http = Anonymous();
        var credentials = new { email, password = Password };
        (await http.PostAsJsonAsync("/api/identity/register", credentials)).EnsureSuccessStatusCode();
        var login = await http.PostAsJsonAsync("/api/identity/login", credentials);
        login.EnsureSuccessStatusCode();
        var token = (await login.Content.ReadFromJsonAsync<AccessTokenResponse>())!.AccessToken;
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return new TestUser(nickname, email, token, http);
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_factory is not null) await _factory.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (!_ownsDataFolder) return;
        try { Directory.Delete(_dataFolder, recursive: true); }
        catch (IOException) { /* a temp folder left behind is harmless */ }
    }

    private sealed record AccessTokenResponse(string AccessToken);

    private sealed class GroupsAppFactory(string dataFolder, GroupsAppFixture fixture)
        : WebApplicationFactory<Program>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            // UseSetting, not ConfigureAppConfiguration: Program reads these before the host is built.
            builder.UseEnvironment("Development");
            builder.UseSetting("Database:Provider", "sqlite");
            builder.UseSetting("ConnectionStrings:Groups", $"Data Source={Path.Combine(dataFolder, "groups.db")}");
            if (!fixture.KeepAppLogLevels)
            {
                builder.UseSetting("Logging:LogLevel:Default", "Warning");
                builder.UseSetting("Logging:LogLevel:Microsoft.AspNetCore", "Warning");
            }
            // Every test signs people up from loopback; SignInThrottleTests' own fixture keeps a real limit.
            builder.UseSetting("Accounts:SignInThrottle:Burst", "100000");
            // Scenarios write from many connections of one person; DeploymentSettingsTests' fixture keeps a real limit.
            builder.UseSetting("Realtime:RateLimit:PersonBurst", "100000");
            builder.UseSetting("Realtime:RateLimit:PersonPerSecond", "100000");
            foreach (var (key, value) in fixture.Settings) builder.UseSetting(key, value);
            builder.ConfigureLogging(fixture.ConfigureLogging);
            builder.ConfigureTestServices(fixture.ConfigureServices);
        }
    }
}

/// <summary>One person with an account: their bearer token, and an HttpClient that sends it.</summary>
public sealed record TestUser(string Nickname, string Email, string Token, HttpClient Http);

[CollectionDefinition(Name)]
public sealed class GroupsAppCollection : ICollectionFixture<GroupsAppFixture>
{
    public const string Name = "Groups app";
}
