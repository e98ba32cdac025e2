using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BetweenSessions.Groups.Data.Providers;

public sealed class SqliteGroupsDbContext(DbContextOptions<SqliteGroupsDbContext> options) : GroupsDbContext(options)
{
    protected override void ConfigureConventions(ModelConfigurationBuilder builder)
    {
        base.ConfigureConventions(builder);
        // SQLite has no date type and EF cannot order or compare DateTimeOffset stored as text; UTC ticks sort and compare.
        builder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
    }

    private sealed class UtcTicksConverter()
        : ValueConverter<DateTimeOffset, long>(v => v.UtcTicks, v => new DateTimeOffset(v, TimeSpan.Zero));
}

internal sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteGroupsDbContext>
{
    public SqliteGroupsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteGroupsDbContext>().UseSqlite("Data Source=design-time.db").Options);
}

/// <summary>Per-connection settings; journal_mode=WAL is stored in the file and set once at start-up instead.</summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    // busy_timeout: a reader that meets a checkpoint, or a second process, waits instead of failing.
    // synchronous=NORMAL: with WAL a commit survives a crash of the process; only power loss can lose the last ones.
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(
        DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
