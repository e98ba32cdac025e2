using System.Net;
using System.Text.Json;
using BetweenSessions.Groups.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Orleans;
using Orleans.Configuration;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Data;

/// <summary>
/// Orleans cluster membership in ClusterVersions and ClusterMembers, for several hosts on one PostgreSQL or SQL Server
/// database (SQLite works too, for one machine). Every change to a member moves the cluster's version on with a
/// conditional UPDATE (WHERE ETag = the one the silo read) in the same transaction, so of two silos acting on the same
/// view only one succeeds; the other gets false, reads again and decides again, as the membership protocol expects.
/// Writes do not go through the write queue: a conflict must roll back this change alone, and the version row's lock
/// already makes the writers of one cluster take turns. On SQLite the transaction begins IMMEDIATE and waits for the
/// write lock (busy_timeout) like Identity's writes.
/// </summary>
public sealed class EfMembershipTable : IMembershipTable
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly IDbContextFactory<GroupsDbContext> _contexts;
    private readonly string _clusterId;
    private readonly ILogger _logger;

    public EfMembershipTable(
        IDbContextFactory<GroupsDbContext> contexts, IOptions<ClusterOptions> cluster, ILogger<EfMembershipTable>? logger = null)
    {
        _contexts = contexts;
        _clusterId = cluster.Value.ClusterId
            ?? throw new InvalidOperationException("Orleans' ClusterOptions.ClusterId is not set.");
        _logger = logger ?? NullLogger<EfMembershipTable>.Instance;
    }

    public async Task InitializeMembershipTableAsync(bool tryInitTableVersion, CancellationToken ct = default)
    {
        if (!tryInitTableVersion) return;
        await using var db = await _contexts.CreateDbContextAsync(ct);
        if (await db.ClusterVersions.AnyAsync(v => v.ClusterId == _clusterId, ct)) return;
        db.ClusterVersions.Add(new ClusterVersionRecord { ClusterId = _clusterId, Version = 0, ETag = NewETag() });
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another silo created it first, which is all this was for; anything else is an error.
            if (!await VersionExistsAsync(ct)) throw;
        }
    }

    public async Task DeleteMembershipTableEntriesAsync(string clusterId, CancellationToken ct = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        await db.ClusterMembers.Where(m => m.ClusterId == clusterId).ExecuteDeleteAsync(ct);
        await db.ClusterVersions.Where(v => v.ClusterId == clusterId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public async Task CleanupDefunctSiloEntriesAsync(DateTimeOffset beforeDate, CancellationToken ct = default)
    {
        var dead = (int)SiloStatus.Dead;
        var before = beforeDate.ToUniversalTime();
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var removed = await db.ClusterMembers
            .Where(m => m.ClusterId == _clusterId && m.Status == dead && m.IAmAliveTime < before)
            .ExecuteDeleteAsync(ct);
        if (removed > 0) _logger.LogInformation("Removed {Count} dead silos of cluster {ClusterId} from the membership table.", removed, _clusterId);
    }

    public async Task<MembershipTableData> ReadRowAsync(SiloAddress key, CancellationToken ct = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(ct);
        // The version first: a change made between the two reads moves the version on, so a decision taken on this
        // snapshot can only fail, never overwrite.
        var version = await ReadVersionAsync(db, ct);
        var rows = await RowOf(db, key).AsNoTracking()
            .ToListAsync(ct);
        return new MembershipTableData(rows.Select(ToEntry).ToList(), version);
    }

    public async Task<MembershipTableData> ReadAllAsync(CancellationToken ct = default)
    {
        await using var db = await _contexts.CreateDbContextAsync(ct);
        var version = await ReadVersionAsync(db, ct);
        var rows = await db.ClusterMembers.AsNoTracking().Where(m => m.ClusterId == _clusterId).ToListAsync(ct);
        return new MembershipTableData(rows.Select(ToEntry).ToList(), version);
    }

    public async Task<bool> InsertRowAsync(MembershipEntry entry, TableVersion tableVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        await using var db = await _contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await TryMoveVersionAsync(db, tableVersion, ct)) return false;
        if (await RowOf(db, entry.SiloAddress).AnyAsync(ct)) return false;
        var (address, port, generation) = Columns(entry.SiloAddress);
        var row = new ClusterMemberRecord { ClusterId = _clusterId, Address = address, Port = port, Generation = generation };
        Fill(row, entry);
        row.ETag = NewETag();
        db.ClusterMembers.Add(row);
        try
        {
            await db.SaveChangesAsync(ct);
            await transaction.CommitAsync(ct);
            return true;
        }
        catch (DbUpdateException e)
        {
            // The version row is locked by this transaction, so only a silo that inserted without moving the version
            // could get here first; either way the silo is already a member and this insert is refused.
            _logger.LogDebug(e, "Insert of silo {Silo} into cluster {ClusterId} refused.", entry.SiloAddress, _clusterId);
            return false;
        }
    }

    public async Task<bool> UpdateRowAsync(MembershipEntry entry, string etag, TableVersion tableVersion, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentNullException.ThrowIfNull(tableVersion);
        await using var db = await _contexts.CreateDbContextAsync(ct);
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await TryMoveVersionAsync(db, tableVersion, ct)) return false;
        var values = new ClusterMemberRecord();
        Fill(values, entry);
        var next = NewETag();
        var updated = await RowOf(db, entry.SiloAddress)
            .Where(m => m.ETag == etag)
            .ExecuteUpdateAsync(set => set
                .SetProperty(m => m.HostName, values.HostName)
                .SetProperty(m => m.Status, values.Status)
                .SetProperty(m => m.ProxyPort, values.ProxyPort)
                .SetProperty(m => m.SiloName, values.SiloName)
                .SetProperty(m => m.RoleName, values.RoleName)
                .SetProperty(m => m.UpdateZone, values.UpdateZone)
                .SetProperty(m => m.FaultZone, values.FaultZone)
                .SetProperty(m => m.SuspectTimes, values.SuspectTimes)
                .SetProperty(m => m.StartTime, values.StartTime)
                .SetProperty(m => m.IAmAliveTime, values.IAmAliveTime)
                .SetProperty(m => m.ETag, next), ct);
        // Disposing the transaction uncommitted rolls the version back.
        if (updated == 0) return false;
        await transaction.CommitAsync(ct);
        return true;
    }

    public async Task UpdateIAmAliveAsync(MembershipEntry entry, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var alive = Instant(entry.IAmAliveTime);
        await using var db = await _contexts.CreateDbContextAsync(ct);
        await RowOf(db, entry.SiloAddress)
            .ExecuteUpdateAsync(set => set.SetProperty(m => m.IAmAliveTime, alive), ct);
    }

    // Orleans 10 calls the cancellable methods above; these older members are still abstract in the interface.
#pragma warning disable CS0618
    Task IMembershipTable.InitializeMembershipTable(bool tryInitTableVersion) => InitializeMembershipTableAsync(tryInitTableVersion);
    Task IMembershipTable.DeleteMembershipTableEntries(string clusterId) => DeleteMembershipTableEntriesAsync(clusterId);
    Task IMembershipTable.CleanupDefunctSiloEntries(DateTimeOffset beforeDate) => CleanupDefunctSiloEntriesAsync(beforeDate);
    Task<MembershipTableData> IMembershipTable.ReadRow(SiloAddress key) => ReadRowAsync(key);
    Task<MembershipTableData> IMembershipTable.ReadAll() => ReadAllAsync();
    Task<bool> IMembershipTable.InsertRow(MembershipEntry entry, TableVersion tableVersion) => InsertRowAsync(entry, tableVersion);
    Task<bool> IMembershipTable.UpdateRow(MembershipEntry entry, string etag, TableVersion tableVersion) => UpdateRowAsync(entry, etag, tableVersion);
    Task IMembershipTable.UpdateIAmAlive(MembershipEntry entry) => UpdateIAmAliveAsync(entry);
#pragma warning restore CS0618

    /// <summary>The version row moves to the caller's new version only while it still has the ETag the caller read.</summary>
    private async Task<bool> TryMoveVersionAsync(GroupsDbContext db, TableVersion next, CancellationToken ct)
    {
        var (expected, etag) = (next.VersionEtag, NewETag());
        return await db.ClusterVersions.Where(v => v.ClusterId == _clusterId && v.ETag == expected)
            .ExecuteUpdateAsync(set => set.SetProperty(v => v.Version, next.Version).SetProperty(v => v.ETag, etag), ct) == 1;
    }

    private async Task<TableVersion> ReadVersionAsync(GroupsDbContext db, CancellationToken ct)
    {
        var row = await db.ClusterVersions.AsNoTracking().SingleOrDefaultAsync(v => v.ClusterId == _clusterId, ct);
        // Before InitializeMembershipTableAsync there is no row: version 0 with an ETag no row has, so every write fails.
        return row is null ? new TableVersion(0, "") : new TableVersion(row.Version, row.ETag);
    }

    private async Task<bool> VersionExistsAsync(CancellationToken ct)
    {
        await using var db = await _contexts.CreateDbContextAsync(ct);
        return await db.ClusterVersions.AnyAsync(v => v.ClusterId == _clusterId, ct);
    }

    /// <summary>This cluster's row of one silo (address, port and generation), if there is one.</summary>
    private IQueryable<ClusterMemberRecord> RowOf(GroupsDbContext db, SiloAddress silo)
    {
        var (address, port, generation) = Columns(silo);
        return db.ClusterMembers.Where(m => m.ClusterId == _clusterId && m.Address == address && m.Port == port && m.Generation == generation);
    }

    private static (string Address, int Port, int Generation) Columns(SiloAddress silo) =>
        (silo.Endpoint.Address.ToString(), silo.Endpoint.Port, silo.Generation);

    private static void Fill(ClusterMemberRecord row, MembershipEntry entry)
    {
        row.HostName = entry.HostName ?? "";
        row.Status = (int)entry.Status;
        row.ProxyPort = entry.ProxyPort;
        row.SiloName = entry.SiloName ?? "";
        row.RoleName = entry.RoleName;
        row.UpdateZone = entry.UpdateZone;
        row.FaultZone = entry.FaultZone;
        row.SuspectTimes = entry.SuspectTimes is { Count: > 0 } votes
            ? JsonSerializer.Serialize(votes.Select(v => new SuspectVote(v.Item1.ToParsableString(), Instant(v.Item2))), Json)
            : null;
        row.StartTime = Instant(entry.StartTime);
        row.IAmAliveTime = Instant(entry.IAmAliveTime);
    }

    private static Tuple<MembershipEntry, string> ToEntry(ClusterMemberRecord row)
    {
        var entry = new MembershipEntry
        {
            SiloAddress = SiloAddress.New(new IPEndPoint(IPAddress.Parse(row.Address), row.Port), row.Generation),
            HostName = row.HostName,
            Status = (SiloStatus)row.Status,
            ProxyPort = row.ProxyPort,
            SiloName = row.SiloName,
            RoleName = row.RoleName,
            UpdateZone = row.UpdateZone,
            FaultZone = row.FaultZone,
            StartTime = row.StartTime.UtcDateTime,
            IAmAliveTime = row.IAmAliveTime.UtcDateTime,
            SuspectTimes = row.SuspectTimes is null ? null
                : JsonSerializer.Deserialize<List<SuspectVote>>(row.SuspectTimes, Json)!
                    .Select(v => Tuple.Create(SiloAddress.FromParsableString(v.Silo), v.At.UtcDateTime)).ToList(),
        };
        return Tuple.Create(entry, row.ETag);
    }

    /// <summary>Orleans' times are UTC; one without a kind is taken as UTC, never as the machine's local time.</summary>
    private static DateTimeOffset Instant(DateTime time) => time.Kind == DateTimeKind.Local
        ? new DateTimeOffset(time.ToUniversalTime(), TimeSpan.Zero)
        : new DateTimeOffset(DateTime.SpecifyKind(time, DateTimeKind.Utc), TimeSpan.Zero);

    private static string NewETag() => Guid.NewGuid().ToString("N");

    private sealed record SuspectVote(string Silo, DateTimeOffset At);
}
