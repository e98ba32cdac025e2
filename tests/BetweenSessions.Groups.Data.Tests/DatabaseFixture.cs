using BetweenSessions.Groups.Contracts.Circles;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BetweenSessions.Groups.Data.Tests;

/// <summary>One fresh, migrated database per test class, reached only through the public registration.</summary>
public abstract class DatabaseFixture : IAsyncLifetime
{
    private IHost? _host;

    public IServiceProvider Services => (_host ?? throw Unavailable()).Services;
    public ICircleStore Store => Services.GetRequiredService<ICircleStore>();
    public ICircleDirectory Directory => Services.GetRequiredService<ICircleDirectory>();

    /// <summary>The Orleans providers, registered as the silo registers them.</summary>
    public Orleans.Storage.IGrainStorage OrleansStorage =>
        Services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(OrleansGrainStorage.ProviderName);
    public Orleans.IReminderTable OrleansReminders => Services.GetRequiredService<Orleans.IReminderTable>();
    public Orleans.IMembershipTable Membership => Services.GetRequiredService<Orleans.IMembershipTable>();

    /// <summary>The cluster id the registered membership table serves.</summary>
    public const string ClusterId = "groups-test";

    /// <summary>
    /// Runs on the database before the app's start-up migration, for a test that starts from what an older version
    /// wrote.
    /// </summary>
    public Func<GroupsDbContext, Task>? BeforeStart { get; init; }

    public GroupsDbContext NewContext() =>
        Services.GetRequiredService<IDbContextFactory<GroupsDbContext>>().CreateDbContext();

    /// <summary>
    /// Blocks every writer from another connection until disposed, so that writes queued meanwhile pile up and go
    /// into one batch together.
    /// </summary>
    public abstract Task<IAsyncDisposable> HoldWritesAsync();

    public abstract ValueTask InitializeAsync();

    /// <summary>Another fresh database of the same kind, for a test that needs one to itself; initialize it first.</summary>
    public abstract DatabaseFixture CreateAnother();

    protected virtual Exception Unavailable() => new InvalidOperationException("The database was not set up.");

    protected async Task StartAsync(string provider, string connectionString, string contentRoot)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        builder.Configuration["Database:Provider"] = provider;
        builder.Configuration["ConnectionStrings:Groups"] = connectionString;
        builder.AddGroupsData();
        builder.Services.Configure<Orleans.Configuration.ClusterOptions>(o => o.ClusterId = ClusterId);
        builder.Services.AddGroupsGrainStorage().AddGroupsReminderTable().AddGroupsMembershipTable();
        _host = builder.Build();
        if (BeforeStart is not null)
        {
            await using var db = NewContext();
            await BeforeStart(db);
        }
        await _host.Services.MigrateGroupsDatabaseAsync();
    }

    public virtual async ValueTask DisposeAsync()
    {
        if (_host is IAsyncDisposable host) await host.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteFixture : DatabaseFixture
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "bsg-data-tests-" + Guid.NewGuid().ToString("N"));

    public string File => Path.Combine(_folder, "groups.db");

    /// <summary>A database file to start from (copied), such as one an older version wrote.</summary>
    public string? CopyOf { get; init; }

    public override DatabaseFixture CreateAnother() => new SqliteFixture();

    public override ValueTask InitializeAsync()
    {
        System.IO.Directory.CreateDirectory(_folder);
        if (CopyOf is not null) System.IO.File.Copy(CopyOf, File);
        return new(StartAsync("sqlite", $"Data Source={File}", _folder));
    }

    public override async Task<IAsyncDisposable> HoldWritesAsync()
    {
        var connection = new SqliteConnection($"Data Source={File}");
        await connection.OpenAsync();
        await using (var begin = connection.CreateCommand())
        {
            begin.CommandText = "BEGIN IMMEDIATE;";
            await begin.ExecuteNonQueryAsync();
        }
        return new Release(async () =>
        {
            await using (var commit = connection.CreateCommand())
            {
                commit.CommandText = "COMMIT;";
                await commit.ExecuteNonQueryAsync();
            }
            await connection.DisposeAsync();
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        if (System.IO.Directory.Exists(_folder)) System.IO.Directory.Delete(_folder, recursive: true);
    }
}

/// <summary>
/// A database of its own on the server named by BSG_TEST_POSTGRES. Without that variable the tests skip, unless
/// BSG_REQUIRE_POSTGRES=1 says they must run.
/// </summary>
public sealed class PostgresFixture : DatabaseFixture
{
    private static readonly string? Server = Environment.GetEnvironmentVariable("BSG_TEST_POSTGRES");
    private readonly string _database = "bsg_test_" + Guid.NewGuid().ToString("N");
    private string? _connectionString;

    public override DatabaseFixture CreateAnother() => new PostgresFixture();

    public override async ValueTask InitializeAsync()
    {
        if (string.IsNullOrWhiteSpace(Server)) return;
        await using (var admin = new NpgsqlConnection(Server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{_database}\"", admin);
            await create.ExecuteNonQueryAsync();
        }
        _connectionString = new NpgsqlConnectionStringBuilder(Server) { Database = _database }.ConnectionString;
        await StartAsync("postgres", _connectionString, AppContext.BaseDirectory);
    }

    protected override Exception Unavailable()
    {
        const string how = "PostgreSQL tests need BSG_TEST_POSTGRES: run build/test.sh, or build/postgres.sh start and "
            + "BSG_TEST_POSTGRES=$(build/postgres.sh url) dotnet test.";
        if (Environment.GetEnvironmentVariable("BSG_REQUIRE_POSTGRES") == "1") Assert.Fail("BSG_REQUIRE_POSTGRES=1, but " + how);
        Assert.Skip(how);
        return null!;
    }

    public override async Task<IAsyncDisposable> HoldWritesAsync()
    {
        var connection = new NpgsqlConnection(_connectionString);
        await connection.OpenAsync();
        var transaction = await connection.BeginTransactionAsync();
        // Reads go on; every insert into or update of a circle waits.
        await using (var lockCircles = new NpgsqlCommand("LOCK TABLE \"Circles\" IN EXCLUSIVE MODE", connection, transaction))
            await lockCircles.ExecuteNonQueryAsync();
        return new Release(async () =>
        {
            await transaction.CommitAsync();
            await connection.DisposeAsync();
        });
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        if (_connectionString is null) return;
        await using var admin = new NpgsqlConnection(Server);
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{_database}\" WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

internal sealed class Release(Func<Task> release) : IAsyncDisposable
{
    public async ValueTask DisposeAsync() => await release();
}
