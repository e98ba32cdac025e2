using BetweenSessions.Groups.Contracts.Circles;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BetweenSessions.Groups.Data.Tests;

/// <summary>Registration and migrations of every provider, SQL Server included, without a database server.</summary>
public sealed class ModelTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<string, string?> Providers => new()
    {
        { "sqlite", null },
        { "postgres", "Host=127.0.0.1;Port=1;Database=unused" },
        { "sqlserver", "Server=127.0.0.1,1;Database=unused;TrustServerCertificate=True" },
    };

    private static IHost Build(string? provider, string? connectionString, string contentRoot)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings { ContentRootPath = contentRoot });
        if (provider is not null) builder.Configuration["Database:Provider"] = provider;
        if (connectionString is not null) builder.Configuration["ConnectionStrings:Groups"] = connectionString;
        builder.AddGroupsData();
        // What the silo adds on top (AddGroupsGrainStorage, UseGroupsReminderService, UseGroupsClustering).
        builder.Services.AddGroupsGrainStorage().AddGroupsReminderTable().AddGroupsMembershipTable();
        return builder.Build();
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task Each_provider_resolves_everything_and_its_migrations_match_the_model(string provider, string? connectionString)
    {
        using var host = Build(provider, connectionString, Path.GetTempPath());
        await using var scope = host.Services.CreateAsyncScope();

        var db = scope.ServiceProvider.GetRequiredService<GroupsDbContext>();
        Assert.NotNull(host.Services.GetRequiredService<IDbContextFactory<GroupsDbContext>>());
        Assert.NotNull(host.Services.GetRequiredService<ICircleStore>());
        Assert.NotNull(host.Services.GetRequiredService<ICircleDirectory>());
        Assert.NotNull(host.Services.GetRequiredKeyedService<Orleans.Storage.IGrainStorage>(OrleansGrainStorage.ProviderName));
        Assert.NotNull(host.Services.GetRequiredService<Orleans.IReminderTable>());

        Assert.Contains(provider, db.Database.ProviderName!, StringComparison.OrdinalIgnoreCase);
        Assert.NotEmpty(db.Database.GetMigrations());
        // A model change without a migration for this provider (run build/migrations.sh add <Name>) fails here.
        Assert.False(db.Database.HasPendingModelChanges(), $"{provider}: the model has changes that no migration covers.");
    }

    [Fact]
    public async Task The_sql_server_migrations_script_without_a_server()
    {
        using var host = Build("sqlserver", "Server=127.0.0.1,1;Database=unused;TrustServerCertificate=True", Path.GetTempPath());
        await using var scope = host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<GroupsDbContext>();

        var script = db.GetService<IMigrator>().GenerateScript(options: MigrationsSqlGenerationOptions.Idempotent);

        Assert.Contains("CREATE TABLE [CircleEvents]", script);
        Assert.Contains("WHERE [ClientEventId] IS NOT NULL", script);
    }

    [Fact]
    public async Task By_default_sqlite_lives_in_data_under_the_content_root_and_is_created_at_start_up()
    {
        var root = Directory.CreateTempSubdirectory("bsg-content-root-").FullName;
        try
        {
            using (var host = Build(null, null, root))
            {
                await host.Services.MigrateGroupsDatabaseAsync(Ct);
                // Twice: start-up runs it every time.
                await host.Services.MigrateGroupsDatabaseAsync(Ct);
            }
            var file = Path.Combine(root, "data", "betweensessions.db");
            Assert.True(File.Exists(file));
            await using var connection = new SqliteConnection($"Data Source={file}");
            await connection.OpenAsync(Ct);
            await using var command = connection.CreateCommand();
            command.CommandText = "PRAGMA journal_mode";
            Assert.Equal("wal", await command.ExecuteScalarAsync(Ct));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            if (Directory.Exists(root)) Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void An_unknown_provider_is_refused()
    {
        var error = Assert.Throws<InvalidOperationException>(() => Build("mysql", "Server=x", Path.GetTempPath()));
        Assert.Contains("Database:Provider", error.Message);
    }

    [Fact]
    public void A_server_provider_without_a_connection_string_is_refused() =>
        Assert.Throws<InvalidOperationException>(() => Build("postgres", null, Path.GetTempPath()));
}
