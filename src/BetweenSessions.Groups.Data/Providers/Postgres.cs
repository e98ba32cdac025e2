using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Npgsql;

namespace BetweenSessions.Groups.Data.Providers;

public sealed class PostgresGroupsDbContext(DbContextOptions<PostgresGroupsDbContext> options) : GroupsDbContext(options);

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGroupsDbContext>
{
    // Adding a migration never connects; the connection string only has to parse.
    public PostgresGroupsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGroupsDbContext>().UseNpgsql("Host=localhost;Database=design_time")
            .UseApplicationServiceProvider(IdentitySchema.DesignTimeServices).Options);
}

public static class PostgresConnection
{
    /// <summary>
    /// Npgsql prepares the statements a connection runs often (unless the connection string says otherwise). The one
    /// writer sends every entry's two statements one after the other; parsed and planned again each time, they took
    /// PostgreSQL about a fifth of a millisecond each, and the load benchmark's durable hub topped out at about 800
    /// entries a second on two cores; prepared, 1,470 (docs/performance.md).
    /// </summary>
    public static string WithAutoPrepare(string connectionString)
    {
        var builder = new NpgsqlConnectionStringBuilder(connectionString);
        if (!connectionString.Contains("Auto Prepare", StringComparison.OrdinalIgnoreCase)) builder.MaxAutoPrepare = 20;
        return builder.ConnectionString;
    }
}
