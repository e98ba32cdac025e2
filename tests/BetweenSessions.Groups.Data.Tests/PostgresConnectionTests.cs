using BetweenSessions.Groups.Data.Providers;
using Npgsql;

namespace BetweenSessions.Groups.Data.Tests;

/// <summary>What the app makes of a deployment's PostgreSQL connection string.</summary>
public sealed class PostgresConnectionTests
{
    [Fact]
    public void Statements_run_often_are_prepared_unless_the_connection_string_says_otherwise()
    {
        var given = "Host=db.internal;Database=groups;Username=app;Password=secret";
        var used = new NpgsqlConnectionStringBuilder(PostgresConnection.WithAutoPrepare(given));
        Assert.Equal(20, used.MaxAutoPrepare);
        Assert.Equal(("db.internal", "groups", "app", "secret"), (used.Host, used.Database, used.Username, used.Password));

        var off = new NpgsqlConnectionStringBuilder(PostgresConnection.WithAutoPrepare(given + ";Max Auto Prepare=0"));
        Assert.Equal(0, off.MaxAutoPrepare);
    }
}
