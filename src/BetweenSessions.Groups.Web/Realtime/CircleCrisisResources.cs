using BetweenSessions.Groups.Domain;
using Microsoft.Extensions.Options;

namespace BetweenSessions.Groups.Web.Realtime;

/// <summary>
/// The crisis resources a member of a circle sees: the circle's own when its facilitators set some, otherwise the
/// deployment's (Support:CrisisResources). The hub's RequestSupport and the circle page use this one rule.
/// </summary>
public sealed class CircleCrisisResources(IOptions<SupportOptions> support)
{
    public IReadOnlyList<CrisisResource> Configured => support.Value.CrisisResources;

    public IReadOnlyList<CrisisResource> For(IReadOnlyList<CrisisContact> circleOwn) =>
        circleOwn.Count == 0
            ? Configured
            : circleOwn.Select(c => new CrisisResource { Name = c.Name, Phone = c.Phone, Text = c.Text, Url = c.Url }).ToList();

    /// <summary>The resources for this member of this circle (the grain checks membership).</summary>
    public async Task<IReadOnlyList<CrisisResource>> ForAsync(ICircleGrain circle, string memberId) =>
        For((await circle.GetSettingsAsync(memberId)).CrisisResources);
}
