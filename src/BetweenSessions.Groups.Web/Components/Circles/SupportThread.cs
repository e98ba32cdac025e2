using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Web.Components.Circles;

/// <summary>
/// A request for support with what followed it: the notes its author added, the latest acknowledgement and a
/// withdrawal. The dashboard, the circle page and the member's own panel read requests through this one rule.
/// </summary>
public sealed record SupportThread(CircleEvent Request, IReadOnlyList<CircleEvent> Notes, CircleEvent? Acknowledged, CircleEvent? Withdrawn)
{
    /// <summary>Waiting for a facilitator: not withdrawn, and not acknowledged since the last thing its author added.</summary>
    public bool IsWaiting => Withdrawn is null && (Acknowledged is null || Notes.Any(n => n.Seq > Acknowledged.Seq));

    /// <summary>Notes the author added after the last acknowledgement: what a facilitator has not seen yet.</summary>
    public bool HasNewNote => Acknowledged is not null && Notes.Any(n => n.Seq > Acknowledged.Seq);

    public DateTimeOffset WithdrawableUntil => Request.At + SupportRequests.WithdrawWindow;

    public bool CanWithdraw(DateTimeOffset now) => Withdrawn is null && now < WithdrawableUntil;

    /// <summary>Every request among <paramref name="visible"/>, oldest first.</summary>
    public static IReadOnlyList<SupportThread> From(IEnumerable<CircleEvent> visible)
    {
        var list = visible as IReadOnlyCollection<CircleEvent> ?? visible.ToList();
        var followUps = list
            .Where(e => e.Type is EventTypes.SupportNoteAdded or EventTypes.AlertAcknowledged or EventTypes.SupportWithdrawn)
            .Where(e => e.Id("targetEventId") is not null)
            .OrderBy(e => e.Seq)
            .ToLookup(e => e.Id("targetEventId")!.Value);
        return list.Where(e => e.Type == EventTypes.SupportRequested).OrderBy(e => e.Seq).Select(request =>
        {
            var after = followUps[request.EventId];
            return new SupportThread(request,
                after.Where(e => e.Type == EventTypes.SupportNoteAdded).ToList(),
                after.LastOrDefault(e => e.Type == EventTypes.AlertAcknowledged),
                after.FirstOrDefault(e => e.Type == EventTypes.SupportWithdrawn));
        }).ToList();
    }
}
