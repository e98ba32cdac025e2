namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// One silo (address, port and generation: a restarted silo is a new member) of one cluster as Orleans' membership
/// protocol sees it. Status is Orleans' SiloStatus; SuspectTimes holds the votes of the silos that suspect it, as
/// JSON. ETag changes with every update but IAmAliveTime's, which each silo writes on its own schedule.
/// </summary>
public sealed class ClusterMemberRecord
{
    public string ClusterId { get; set; } = "";
    public string Address { get; set; } = "";
    public int Port { get; set; }
    public int Generation { get; set; }
    public string HostName { get; set; } = "";
    public int Status { get; set; }
    public int ProxyPort { get; set; }
    public string SiloName { get; set; } = "";
    public string? RoleName { get; set; }
    public int UpdateZone { get; set; }
    public int FaultZone { get; set; }
    public string? SuspectTimes { get; set; }
    public DateTimeOffset StartTime { get; set; }
    public DateTimeOffset IAmAliveTime { get; set; }
    public string ETag { get; set; } = "";
}
