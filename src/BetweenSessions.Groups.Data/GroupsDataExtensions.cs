using BetweenSessions.Groups.Data.Providers;
using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Contracts.Circles;
using Orleans.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace BetweenSessions.Groups.Data;

public static class GroupsDataExtensions
{
    /// <summary>
    /// Registers the database chosen by <c>Database:Provider</c> (<c>sqlite</c>, the default; <c>postgres</c>;
    /// <c>sqlserver</c>) with the connection string <c>ConnectionStrings:Groups</c> (for SQLite by default
    /// <c>data/betweensessions.db</c> under the content root), the stores of circles and grain state, and their
    /// write queue. Call <see cref="MigrateGroupsDatabaseAsync"/> before serving.
    /// </summary>
    public static IHostApplicationBuilder AddGroupsData(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddLogging();
        var provider = builder.Configuration["Database:Provider"] ?? "sqlite";
        var connectionString = builder.Configuration.GetConnectionString("Groups");
        switch (provider.ToLowerInvariant())
        {
            case "sqlite":
                var sqlite = SqliteConnectionString(connectionString, builder.Environment.ContentRootPath);
                AddContext<SqliteGroupsDbContext>(services, o => o.UseSqlite(sqlite).AddInterceptors(new SqlitePragmas()));
                break;
            case "postgres":
                var postgres = PostgresConnection.WithAutoPrepare(Required(connectionString, provider));
                AddContext<PostgresGroupsDbContext>(services, o => o.UseNpgsql(postgres));
                break;
            case "sqlserver":
                var sqlServer = Required(connectionString, provider);
                AddContext<SqlServerGroupsDbContext>(services, o => o.UseSqlServer(sqlServer));
                break;
            default:
                throw new InvalidOperationException(
                    $"Database:Provider is '{provider}'; use 'sqlite', 'postgres' or 'sqlserver'.");
        }

        // Identity's tables, passkeys included, are part of this model whoever builds it (IdentitySchema).
        services.AddGroupsIdentitySchema();
        services.AddSingleton<WriteQueue>();
        services.AddSingleton<ICircleStore, EfCircleStore>();
        services.AddSingleton<ICircleDirectory, EfCircleDirectory>();
        services.AddSingleton<ICircleHistory, EfCircleHistory>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IAccessLog, EfAccessLog>();
        return builder;
    }

    /// <summary>
    /// Creates the SQLite folder, switches SQLite to write-ahead logging, applies pending migrations and moves any
    /// reminder the home-made grain runtime left into Orleans' table (<see cref="LegacyReminderMove"/>).
    /// Safe to call on every start.
    /// </summary>
    public static async Task MigrateGroupsDatabaseAsync(this IServiceProvider services, CancellationToken ct = default)
    {
        var contexts = services.GetRequiredService<IDbContextFactory<GroupsDbContext>>();
        await using var db = await contexts.CreateDbContextAsync(ct);
        if (db.Database.IsSqlite())
        {
            var file = new SqliteConnectionStringBuilder(db.Database.GetConnectionString()).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(file));
            if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
            // Persistent in the file: readers no longer block the writer, nor the writer them.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL;", ct);
        }
        await db.Database.MigrateAsync(ct);
        await LegacyReminderMove.MoveAsync(db, ct);
    }

    private static void AddContext<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : GroupsDbContext
    {
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddSingleton<IDbContextFactory<GroupsDbContext>, ContextFactory<TContext>>();
        // Identity's stores and the health check take the context itself; it goes back to the pool with the scope.
        services.AddScoped<GroupsDbContext>(sp => sp.GetRequiredService<IDbContextFactory<GroupsDbContext>>().CreateDbContext());
    }

    private static string SqliteConnectionString(string? configured, string contentRoot)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? "Data Source=data/betweensessions.db");
        // Relative to the content root, not to whatever directory the process was started from.
        if (builder.DataSource != ":memory:" && !Path.IsPathRooted(builder.DataSource))
            builder.DataSource = Path.Combine(contentRoot, builder.DataSource);
        return builder.ToString();
    }

    private static string Required(string? connectionString, string provider) =>
        string.IsNullOrWhiteSpace(connectionString)
            ? throw new InvalidOperationException($"Database:Provider '{provider}' needs ConnectionStrings:Groups.")
            : connectionString;

    /// <summary>Hands out the provider's derived context as the <see cref="GroupsDbContext"/> everything else uses.</summary>
    private sealed class ContextFactory<TContext>(IDbContextFactory<TContext> inner) : IDbContextFactory<GroupsDbContext>
        where TContext : GroupsDbContext
    {
        public GroupsDbContext CreateDbContext() => inner.CreateDbContext();

        public async Task<GroupsDbContext> CreateDbContextAsync(CancellationToken ct = default) =>
            await inner.CreateDbContextAsync(ct);
    }
}
