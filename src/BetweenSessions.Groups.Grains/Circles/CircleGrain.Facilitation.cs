using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Circles;

// How facilitators run a circle. Every change is an event of the circle's log, stored before it is acknowledged and
// idempotent by client event id (the WriteAsync frame), so pages, apps and other facilitators see it as it happens.
public sealed partial class CircleGrain
{
    private static string ArchivedMessage =>
        DomainText.Get("Circle.Archived");

    public Task<EventReceipt> RenameAsync(string memberId, RenameCircleDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, r) =>
            AppendSettingsAsync(member, EventTypes.CircleRenamed, Visibility.Circle, r.ClientEventId, new { name = r.Name },
                circle => circle with { Name = r.Name }), facilitatorsOnly: true);

    public Task<EventReceipt> ArchiveAsync(string memberId, ArchiveCircleDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, a) =>
        {
            // Members would otherwise be left with a round they can no longer answer.
            if (Existing().OpenRound is not null)
                throw new DomainValidationException("circle", DomainText.Get("Circle.ArchiveOpenRound"));
            var now = clock.GetUtcNow();
            // Disarmed at once: an archived circle has no next session to invite anyone after.
            return ThenArmAsync(AppendSettingsAsync(member, EventTypes.CircleArchived, Visibility.Circle, a.ClientEventId, new { },
                circle => circle with { Facilitation = FacilitationOf(circle) with { ArchivedAt = now } }, now));
        }, facilitatorsOnly: true);

    public Task<EventReceipt> ReopenAsync(string memberId, ReopenCircleDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, r) =>
        {
            if (!FacilitationOf(Existing()).IsArchived)
                throw new DomainValidationException("circle", DomainText.Get("Circle.OpenAlready"));
            return ThenArmAsync(AppendSettingsAsync(member, EventTypes.CircleReopened, Visibility.Circle, r.ClientEventId, new { },
                circle => circle with { Facilitation = FacilitationOf(circle) with { ArchivedAt = null } }));
        }, facilitatorsOnly: true, evenWhenArchived: true);

    public Task<EventReceipt> NewInviteCodeAsync(string memberId, NewInviteCodeDraft draft) =>
        // The code stays out of the log: only the facilitators' view (GetFacilitationAsync) carries it.
        WriteAsync(memberId, draft.Validate, (member, n) =>
            AppendAsync(member, EventTypes.InviteCodeChanged, Visibility.Facilitators, n.ClientEventId, new { },
                settings: (circle, _) => circle with { InviteCode = InviteCode.New() },
                access: new AccessRecord(member.MemberId, AccessActions.NewInviteCode, CircleId)), facilitatorsOnly: true);

    public Task<EventReceipt> RemoveMemberAsync(string memberId, RemoveMemberDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, r) =>
        {
            var removed = OtherMember(member, r.MemberId, DomainText.Get("Circle.RemoveSelf"));
            var receipt = await AppendAsync(member, EventTypes.MemberRemoved, Visibility.Circle, r.ClientEventId,
                new { removedMemberId = removed.MemberId, removedName = removed.DisplayName },
                subject: removed.MemberId, removeMembers: [removed.MemberId],
                access: new AccessRecord(member.MemberId, AccessActions.RemovedMember, CircleId, removed.MemberId));
            if (_connections.Remove(removed.MemberId)) NotifyPresence();
            return receipt;
        }, facilitatorsOnly: true);

    public Task<EventReceipt> AddCoFacilitatorAsync(string memberId, AddCoFacilitatorDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, a) =>
        {
            var added = OtherMember(member, a.MemberId, DomainText.Get("Circle.AlreadyFacilitate"));
            if (added.Role == CircleRole.Facilitator)
                throw new DomainValidationException("memberId", $"{added.DisplayName} already facilitates this circle.");
            return AppendAsync(member, EventTypes.FacilitatorAdded, Visibility.Circle, a.ClientEventId,
                new { addedMemberId = added.MemberId, addedName = added.DisplayName },
                subject: added.MemberId, upsertMembers: [added with { Role = CircleRole.Facilitator }],
                access: new AccessRecord(member.MemberId, AccessActions.AddedCoFacilitator, CircleId, added.MemberId));
        }, facilitatorsOnly: true);

    public Task<EventReceipt> SetRoundPromptsAsync(string memberId, SetRoundPromptsDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, p) =>
            AppendSettingsAsync(member, EventTypes.RoundPromptsSet, Visibility.Facilitators, p.ClientEventId, new { prompts = p.Prompts },
                circle => circle with { Facilitation = FacilitationOf(circle) with { RoundPrompts = p.Prompts.Count == 0 ? null : p.Prompts } }),
            facilitatorsOnly: true);

    public Task<EventReceipt> SetCrisisResourcesAsync(string memberId, SetCrisisResourcesDraft draft) =>
        // For the whole circle: members should know where their support panel points.
        WriteAsync(memberId, draft.Validate, (member, c) =>
            AppendSettingsAsync(member, EventTypes.CrisisResourcesSet, Visibility.Circle, c.ClientEventId, new { resources = c.Resources },
                circle => circle with { Facilitation = FacilitationOf(circle) with { CrisisResources = c.Resources.Count == 0 ? null : c.Resources } }),
            facilitatorsOnly: true);

    public Task<EventReceipt> SetSeatingOrderAsync(string memberId, SetSeatingOrderDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, s) =>
        {
            if (s.MemberIds.Any(id => FindMember(id) is null))
                throw new DomainValidationException("memberIds", DomainText.Get("Seating.NotMember"));
            return AppendSettingsAsync(member, EventTypes.SeatingOrderSet, Visibility.Facilitators, s.ClientEventId, new { memberIds = s.MemberIds },
                circle => circle with { Facilitation = FacilitationOf(circle) with { SeatingOrder = s.MemberIds.Count == 0 ? null : s.MemberIds } });
        }, facilitatorsOnly: true);

    public Task<EventReceipt> MarkDiscussedAsync(string memberId, MarkDiscussedDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, d) =>
        {
            var item = await VisibleEntryAsync(member, d.EventId, DomainText.Get("Agenda.NotThere"));
            if (item.Type != EventTypes.BroughtToSession)
                throw new DomainValidationException("eventId", DomainText.Get("Agenda.OnlyBrought"));
            // Something brought for the facilitators is on their agenda too; that it was discussed stays with the same
            // audience, so the circle never learns of it.
            return await AppendAsync(member, EventTypes.AgendaItemDiscussed, item.Visibility, d.ClientEventId,
                new { targetEventId = item.EventId }, subject: item.MemberId);
        }, facilitatorsOnly: true);

    public async Task<EventReceipt> AcknowledgeAlertAsync(string memberId, AcknowledgeAlertDraft draft)
    {
        var receipt = await WriteAsync(memberId, draft.Validate, async (member, a) =>
        {
            var alert = await VisibleEntryAsync(member, a.EventId, DomainText.Get("Entry.NotThere"));
            if (!alert.IsAlert)
                throw new DomainValidationException("eventId", DomainText.Get("Alert.OnlyAlerts"));
            // Two facilitators pressing at once: the alert is answered once, and the second hears of the first. A note
            // the person added since makes the request wait again, so acknowledging it then is a new acknowledgement.
            if (FacilitationOf(Existing()).Acknowledged?.FirstOrDefault(x => x.AlertEventId == alert.EventId) is { } earlier
                && !await HasNoteSinceAsync(alert, earlier.Seq))
            {
                return new EventReceipt(earlier.EventId, earlier.Seq);
            }
            // Facilitators only, and the person who asked is its subject: they see that someone has seen it.
            return await AppendAsync(member, EventTypes.AlertAcknowledged, Visibility.Facilitators, a.ClientEventId,
                new { targetEventId = alert.EventId, targetType = alert.Type }, subject: alert.MemberId,
                settings: (circle, ack) => circle with
                {
                    Facilitation = FacilitationOf(circle) with
                    {
                        Acknowledged =
                        [
                            .. (FacilitationOf(circle).Acknowledged ?? []).Where(x => x.AlertEventId != alert.EventId)
                                .TakeLast(AcknowledgementsKept - 1),
                            new AlertAcknowledgement(alert.EventId, ack.EventId, ack.Seq),
                        ],
                    },
                });
        }, facilitatorsOnly: true);
        // Seen by one facilitator is seen: it leaves the others' nudges as it leaves their dashboards.
        if (draft.EventId is { } alertId) await ClearSupportNudgesAsync(alertId);
        return receipt;
    }

    private async Task<bool> HasNoteSinceAsync(CircleEvent alert, long seq) =>
        alert.Type == EventTypes.SupportRequested && alert.MemberId is { } author
        && (await store.ReadAuthoredAsync(CircleId, author, [EventTypes.SupportNoteAdded]))
            .Any(n => n.Seq > seq && EventPayload.GuidField(n.PayloadJson, "targetEventId") == alert.EventId);

    /// <summary>Alerts are answered within days; an older one acknowledged again is merely stored a second time.</summary>
    private const int AcknowledgementsKept = 200;

    public Task<FacilitationView> GetFacilitationAsync(string facilitatorId)
    {
        RequireFacilitator(facilitatorId);
        var circle = Existing();
        var facilitation = FacilitationOf(circle);
        return Task.FromResult(new FacilitationView(circle.CircleId, circle.Name, circle.InviteCode, facilitation.ArchivedAt,
            circle.LastSeq, SeatedOrder(circle), facilitation.SeatingOrder is not null, PresentMemberIds(), circle.OpenRound,
            facilitation.RoundPrompts ?? Domain.RoundPrompts.Defaults, facilitation.RoundPrompts is not null,
            facilitation.CrisisResources ?? [], facilitation.Schedule,
            facilitation.Schedule is null || facilitation.IsArchived ? [] : SessionCalendar.Upcoming(facilitation.Schedule, clock.GetUtcNow(), 6)));
    }

    public Task<CircleSettingsView> GetSettingsAsync(string viewerId)
    {
        var viewer = RequireMember(viewerId);
        var circle = Existing();
        var facilitation = FacilitationOf(circle);
        return Task.FromResult(new CircleSettingsView(circle.CircleId, circle.Name, viewer.Role, facilitation.ArchivedAt,
            facilitation.CrisisResources ?? [], facilitation.IsArchived ? null : SessionCalendar.Next(facilitation.Schedule, clock.GetUtcNow())));
    }

    /// <summary>Stores one event with a change of the circle's own row (name, invite code, settings), then tells observers.</summary>
    private Task<EventReceipt> AppendSettingsAsync(CircleMember author, string type, Visibility visibility, string? clientEventId,
        object payload, Func<CircleSnapshot, CircleSnapshot> change, DateTimeOffset? at = null) =>
        AppendAsync(author, type, visibility, clientEventId, payload, at: at, settings: (circle, _) => change(circle));

    private static CircleFacilitation FacilitationOf(CircleSnapshot circle) => circle.Facilitation ?? CircleFacilitation.Default;

    private void RefuseIfArchived(string message)
    {
        if (FacilitationOf(Existing()).IsArchived) throw new CircleAccessDeniedException(message);
    }

    private CircleMember RequireFacilitator(string memberId)
    {
        var member = RequireMember(memberId);
        return member.Role == CircleRole.Facilitator
            ? member
            : throw new CircleAccessDeniedException(DomainText.Get("Circle.FacilitatorsOnly"));
    }

    /// <summary>Another current member of the circle; oneself is refused with <paramref name="self"/>.</summary>
    private CircleMember OtherMember(CircleMember actor, string memberId, string self)
    {
        if (memberId == actor.MemberId) throw new DomainValidationException("memberId", self);
        return FindMember(memberId) ?? throw new CircleNotFoundException(DomainText.Get("Circle.PersonNotThere"));
    }

    /// <summary>An entry of this circle the member may see; anything else reads as not there.</summary>
    private async Task<CircleEvent> VisibleEntryAsync(CircleMember member, Guid eventId, string notThere)
    {
        var entry = await store.FindEventAsync(CircleId, eventId);
        return entry is not null && entry.IsVisibleTo(member.MemberId, member.Role)
            ? entry
            : throw new CircleNotFoundException(notThere);
    }

    /// <summary>The seating order the facilitators set, then everyone else alphabetically; never by activity.</summary>
    private static List<CircleMember> SeatedOrder(CircleSnapshot circle)
    {
        var alphabetical = StableOrder(circle.Members);
        if (FacilitationOf(circle).SeatingOrder is not { } seats) return alphabetical;
        var seated = seats.Select(id => alphabetical.FirstOrDefault(m => m.MemberId == id)).OfType<CircleMember>().ToList();
        return seated.Concat(alphabetical.Where(m => !seated.Contains(m))).ToList();
    }
}
