namespace BetweenSessions.Groups.Web.Cluster;

/// <summary>How this host's Orleans silo finds the others (section "Cluster").</summary>
public sealed class GroupsClusterOptions
{
    /// <summary>
    /// "localhost" (the default: one host, its own cluster) or "database": every host that shares the database and
    /// <see cref="ClusterId"/> is one cluster, membership kept in the project's own tables.
    /// </summary>
    public string Clustering { get; set; } = "localhost";

    /// <summary>Hosts with the same id form one cluster; a second deployment on the same database uses another.</summary>
    public string ClusterId { get; set; } = "betweensessions";

    /// <summary>The port other silos reach this one on; 0 picks a free one (enough on one machine).</summary>
    public int SiloPort { get; set; }

    /// <summary>The address other silos reach this one at; loopback by default, a routable one on several machines.</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>Whether the Orleans Dashboard is served at /cluster/dashboard (operators only).</summary>
    public bool Dashboard { get; set; }
}
