using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace BetweenSessions.Groups.Data.Providers;

public sealed class SqlServerGroupsDbContext(DbContextOptions<SqlServerGroupsDbContext> options) : GroupsDbContext(options);

internal sealed class SqlServerDesignTimeFactory : IDesignTimeDbContextFactory<SqlServerGroupsDbContext>
{
    // Adding a migration never connects; the connection string only has to parse.
    public SqlServerGroupsDbContext CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqlServerGroupsDbContext>()
            .UseSqlServer("Server=localhost;Database=design_time;Trusted_Connection=True;TrustServerCertificate=True")
            .UseApplicationServiceProvider(IdentitySchema.DesignTimeServices).Options);
}
