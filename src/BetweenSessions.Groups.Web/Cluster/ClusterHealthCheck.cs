using Microsoft.Extensions.Diagnostics.HealthChecks;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Web.Cluster;

/// <summary>Healthy while this host's silo is an active member of the cluster, as the cluster itself sees it.</summary>
internal sealed class ClusterHealthCheck(IClusterMembershipService membership, ILocalSiloDetails silo) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken ct = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(silo.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var data = new Dictionary<string, object> { ["silo"] = silo.SiloAddress.ToString(), ["status"] = status.ToString(), ["activeHosts"] = active };
        return Task.FromResult(status == SiloStatus.Active
            ? HealthCheckResult.Healthy($"In the cluster with {active} active host(s).", data)
            : HealthCheckResult.Unhealthy($"Not an active member of the cluster ({status}).", data: data));
    }
}
