namespace BetweenSessions.Groups.Data.Entities;

/// <summary>
/// The membership table's version for one cluster. Every change to the cluster's members moves it on, conditional on
/// the ETag the silo read, so of two silos that decided on the same view of the cluster only one can act on it.
/// </summary>
public sealed class ClusterVersionRecord
{
    public string ClusterId { get; set; } = "";
    public int Version { get; set; }
    public string ETag { get; set; } = "";
}
