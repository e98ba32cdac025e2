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
        new(new DbContextOptionsBuilder<SqliteGroupsDbContext>().UseSqlite("Data Source=design-time.db")
            .UseApplicationServiceProvider(IdentitySchema.DesignTimeServices).Options);
}

/// <summary>Per-connection settings; journal_mode=WAL is stored in the file and set once at start-up instead.</summary>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    // busy_timeout: a reader that meets a checkpoint, or a second process, waits instead of failing.
    // synchronous=NORMAL: with WAL a commit survives a crash of the process; only power loss can lose the last ones.
    // wal_autocheckpoint=250: the commit that finds the log past this many pages copies it into the database file and
    // syncs both, and every write behind it waits (the write queue is the one writer). Shorter logs make shorter
    // waits: at 1,000 check-ins a second the slowest 1 % of commits took 15 ms at SQLite's default of 1,000 pages,
    // 7 ms at 250 and 92 ms at 10,000, and the slowest 1 % of check-ins reached every peer in 34-46 ms, 22 ms and
    // 100 ms (docs/performance.md). The CPU was the same.
    private const string Pragmas = "PRAGMA busy_timeout = 10000; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 250;";

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
