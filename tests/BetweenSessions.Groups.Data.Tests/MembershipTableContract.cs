using System.Net;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteMembershipTableTests(SqliteFixture fixture)
    : MembershipTableContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresMembershipTableTests(PostgresFixture fixture)
    : MembershipTableContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>Orleans cluster membership in ClusterVersions and ClusterMembers: every conflict is a false, never a write.</summary>
public abstract class MembershipTableContract(DatabaseFixture fixture)
{
    private static int _port = 11000;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>A table of its own cluster, so the tests of one class do not see each other's silos.</summary>
    private async Task<IMembershipTable> NewClusterAsync(string? clusterId = null, bool initialize = true)
    {
        var table = new EfMembershipTable(
            fixture.Services.GetRequiredService<IDbContextFactory<GroupsDbContext>>(),
            Options.Create(new ClusterOptions { ClusterId = clusterId ?? "cluster-" + Guid.NewGuid().ToString("N")[..12] }));
        if (initialize) await table.InitializeMembershipTableAsync(true, Ct);
        return table;
    }

    private static DateTime Now() => new(2026, 12, 4, 10, 0, 0, DateTimeKind.Utc);

    private static MembershipEntry NewSilo(SiloStatus status = SiloStatus.Joining, DateTime? alive = null)
    {
        var port = Interlocked.Increment(ref _port);
        return new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Loopback, port), 123456 + port),
            Status = status,
            HostName = "host-" + port,
            SiloName = "silo-" + port,
            ProxyPort = port + 1000,
            RoleName = "web",
            UpdateZone = 1,
            FaultZone = 2,
            StartTime = Now(),
            IAmAliveTime = alive ?? Now(),
        };
    }

    [Fact]
    public async Task Initializing_twice_is_harmless_and_starts_at_version_0()
    {
        var id = "cluster-" + Guid.NewGuid().ToString("N")[..12];
        // Racing hosts: several may find no row; one inserts first and the others must not fail.
        var hosts = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => NewClusterAsync(id, initialize: false)));
        await Task.WhenAll(hosts.Select(h => h.InitializeMembershipTableAsync(true, Ct)));
        var table = hosts[0];
        var first = (await table.ReadAllAsync(Ct)).Version;
        await table.InitializeMembershipTableAsync(true, Ct);
        await table.InitializeMembershipTableAsync(false, Ct);

        var data = await table.ReadAllAsync(Ct);
        Assert.Empty(data.Members);
        Assert.Equal(0, data.Version.Version);
        Assert.Equal(first, data.Version);
        Assert.False(string.IsNullOrEmpty(data.Version.VersionEtag));
    }

    [Fact]
    public async Task Insert_with_a_stale_table_version_fails_and_writes_nothing()
    {
        var table = await NewClusterAsync();
        var version = (await table.ReadAllAsync(Ct)).Version;
        Assert.True(await table.InsertRowAsync(NewSilo(), version.Next(), Ct));

        var late = NewSilo();
        Assert.False(await table.InsertRowAsync(late, version.Next(), Ct));
        Assert.False(await table.InsertRowAsync(late, new TableVersion(7, "made-up"), Ct));

        var data = await table.ReadAllAsync(Ct);
        Assert.Single(data.Members);
        Assert.Null(data.TryGet(late.SiloAddress));
        Assert.Equal(1, data.Version.Version);
        Assert.Empty((await table.ReadRowAsync(late.SiloAddress, Ct)).Members);
    }

    [Fact]
    public async Task Insert_of_a_silo_already_there_fails_and_keeps_the_version()
    {
        var table = await NewClusterAsync();
        var silo = NewSilo();
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = (await table.ReadAllAsync(Ct)).Version;

        Assert.False(await table.InsertRowAsync(silo, before.Next(), Ct));

        var data = await table.ReadAllAsync(Ct);
        Assert.Single(data.Members);
        Assert.Equal(before, data.Version);
    }

    [Fact]
    public async Task Update_needs_both_the_row_ETag_and_the_table_version()
    {
        var table = await NewClusterAsync();
        var silo = NewSilo();
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var read = await table.ReadRowAsync(silo.SiloAddress, Ct);
        var (entry, etag) = read.Members.Single();
        Assert.Equal(1, read.Version.Version);

        entry.Status = SiloStatus.Active;
        entry.AddSuspector(NewSilo().SiloAddress, Now().AddSeconds(5));
        Assert.True(await table.UpdateRowAsync(entry, etag, read.Version.Next(), Ct));

        var after = await table.ReadRowAsync(silo.SiloAddress, Ct);
        var (stored, newEtag) = after.Members.Single();
        Assert.NotEqual(etag, newEtag);
        Assert.Equal(2, after.Version.Version);
        Assert.NotEqual(read.Version.VersionEtag, after.Version.VersionEtag);
        Assert.Equal(entry.ToFullString(), stored.ToFullString());
        Assert.Equal(SiloStatus.Active, stored.Status);
        var vote = Assert.Single(stored.SuspectTimes!);
        Assert.Equal(entry.SuspectTimes![0].Item1, vote.Item1);
        Assert.Equal(Now().AddSeconds(5), vote.Item2);

        // A stale row ETag with the current version, and the current row ETag with a stale version: both refused.
        stored.Status = SiloStatus.Dead;
        Assert.False(await table.UpdateRowAsync(stored, etag, after.Version.Next(), Ct));
        Assert.False(await table.UpdateRowAsync(stored, newEtag, read.Version.Next(), Ct));
        var unchanged = await table.ReadRowAsync(silo.SiloAddress, Ct);
        Assert.Equal(SiloStatus.Active, unchanged.Members.Single().Item1.Status);
        Assert.Equal(after.Version, unchanged.Version);
        // An update of a silo that is not there is refused too.
        Assert.False(await table.UpdateRowAsync(NewSilo(), newEtag, after.Version.Next(), Ct));
        Assert.Equal(after.Version, (await table.ReadAllAsync(Ct)).Version);
    }

    [Fact]
    public async Task Each_successful_insert_or_update_moves_the_version_on()
    {
        var table = await NewClusterAsync();
        var versions = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            Assert.True(await table.InsertRowAsync(NewSilo(), (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
            versions.Add((await table.ReadAllAsync(Ct)).Version.Version);
        }
        var data = await table.ReadAllAsync(Ct);
        var (entry, etag) = data.Members[0];
        entry.Status = SiloStatus.Active;
        Assert.True(await table.UpdateRowAsync(entry, etag, data.Version.Next(), Ct));
        versions.Add((await table.ReadAllAsync(Ct)).Version.Version);

        Assert.Equal([1, 2, 3, 4], versions);
        Assert.Equal(3, (await table.ReadAllAsync(Ct)).Members.Count);
    }

    [Fact]
    public async Task I_am_alive_changes_only_the_alive_time()
    {
        var table = await NewClusterAsync();
        var silo = NewSilo();
        Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var before = await table.ReadRowAsync(silo.SiloAddress, Ct);
        var (entry, etag) = before.Members.Single();

        entry.IAmAliveTime = Now().AddMinutes(3);
        entry.Status = SiloStatus.Dead; // not this call's business
        await table.UpdateIAmAliveAsync(entry, Ct);

        var after = await table.ReadRowAsync(silo.SiloAddress, Ct);
        var (stored, storedEtag) = after.Members.Single();
        Assert.Equal(Now().AddMinutes(3), stored.IAmAliveTime);
        Assert.Equal(SiloStatus.Joining, stored.Status);
        Assert.Equal(etag, storedEtag);
        Assert.Equal(before.Version, after.Version);
    }

    [Fact]
    public async Task Cleanup_removes_only_dead_silos_older_than_the_date()
    {
        var table = await NewClusterAsync();
        var cutoff = Now();
        var oldDead = NewSilo(SiloStatus.Dead, cutoff.AddHours(-2));
        var recentDead = NewSilo(SiloStatus.Dead, cutoff.AddMinutes(5));
        var oldActive = NewSilo(SiloStatus.Active, cutoff.AddHours(-2));
        foreach (var silo in new[] { oldDead, recentDead, oldActive })
            Assert.True(await table.InsertRowAsync(silo, (await table.ReadAllAsync(Ct)).Version.Next(), Ct));
        var other = await NewClusterAsync();
        var otherDead = NewSilo(SiloStatus.Dead, cutoff.AddHours(-2));
        Assert.True(await other.InsertRowAsync(otherDead, (await other.ReadAllAsync(Ct)).Version.Next(), Ct));

        await table.CleanupDefunctSiloEntriesAsync(cutoff, Ct);

        var left = (await table.ReadAllAsync(Ct)).Members.Select(m => m.Item1.SiloAddress).ToHashSet();
        Assert.Equal([recentDead.SiloAddress, oldActive.SiloAddress], left);
        // Another cluster's dead silo is that cluster's business.
        Assert.Single((await other.ReadAllAsync(Ct)).Members);
    }

    [Fact]
    public async Task Two_clusters_in_one_database_do_not_see_each_other()
    {
        var blue = await NewClusterAsync();
        var green = await NewClusterAsync();
        var silo = NewSilo();
        Assert.True(await blue.InsertRowAsync(silo, (await blue.ReadAllAsync(Ct)).Version.Next(), Ct));

        Assert.Empty((await green.ReadAllAsync(Ct)).Members);
        Assert.Empty((await green.ReadRowAsync(silo.SiloAddress, Ct)).Members);
        Assert.Equal(0, (await green.ReadAllAsync(Ct)).Version.Version);
        // The same silo address may join the other cluster: its version and rows are its own.
        Assert.True(await green.InsertRowAsync(silo, (await green.ReadAllAsync(Ct)).Version.Next(), Ct));

        await green.DeleteMembershipTableEntriesAsync(await ClusterIdOf(green), Ct);
        Assert.Single((await blue.ReadAllAsync(Ct)).Members);
        Assert.Equal(1, (await blue.ReadAllAsync(Ct)).Version.Version);
    }

    [Fact]
    public async Task The_registered_table_serves_the_configured_cluster()
    {
        await fixture.Membership.InitializeMembershipTableAsync(true, Ct);
        await using var db = fixture.NewContext();
        Assert.True(await db.ClusterVersions.AnyAsync(v => v.ClusterId == DatabaseFixture.ClusterId, TestContext.Current.CancellationToken));
    }

    private async Task<string> ClusterIdOf(IMembershipTable table)
    {
        var version = (await table.ReadAllAsync(Ct)).Version.VersionEtag;
        await using var db = fixture.NewContext();
        return await db.ClusterVersions.Where(v => v.ETag == version).Select(v => v.ClusterId).SingleAsync();
    }
}
