using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BetweenSessions.Groups.Data.Providers;

public sealed class PostgresGroupsDbContext(DbContextOptions<PostgresGroupsDbContext> options) : GroupsDbContext(options);

internal sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresGroupsDbContext>
{
    // Adding a migration never connects; the connection string only has to parse.
    public PostgresGroupsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresGroupsDbContext>().UseNpgsql("Host=localhost;Database=design_time").Options);
}
