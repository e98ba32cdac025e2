using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Commitments;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Circles;

// A circle lives on the host that first uses it (usually where its facilitator is connected): that host's hub
// connections reach it without a network hop, and a failover moves it to whichever live host calls it next.
[GrainType("circle"), Orleans.Placement.PreferLocalPlacement]
public sealed partial class CircleGrain(ICircleStore store, TimeProvider clock, ILogger<CircleGrain> logger)
    : Grain, ICircleGrain, IRemindable
{
    private readonly ObserverManager<ICircleObserver> _observers = new(CircleSubscription.Lifetime, logger);
    private readonly Dictionary<string, HashSet<string>> _connections = new(StringComparer.Ordinal);
    private CircleSnapshot? _circle;

    private Guid CircleId => this.GetPrimaryKey();

        public override async Task OnActivateAsync(CancellationToken ct) =>
        _circle = await store.LoadAsync(CircleId, ct);

    public async Task<CircleDetails> CreateAsync(string facilitatorId, string facilitatorDisplayName, string name)
    {
        if (_circle is not null) throw new InvalidOperationException("This circle already exists.");
        var validName = CircleNaming.ValidName(name);
        var displayName = CircleNaming.ValidDisplayName(facilitatorDisplayName);
        var now = clock.GetUtcNow();
        var facilitator = new CircleMember(facilitatorId, displayName, CircleRole.Facilitator, now);
        var created = NewEvent(1, EventTypes.CircleCreated, facilitator, Visibility.Circle, null, new { name = validName }, null, now);
        var commit = new CircleCommit(CircleId, 0, validName, InviteCode.New(), now, 1, [facilitator], [created]);
        var version = await store.CommitAsync(commit);
        _circle = new CircleSnapshot(CircleId, validName, commit.InviteCode, now, 1, [facilitator], version);
        _observers.Notify(o => o.OnCircleEvent(created));
        return Details(facilitatorId);
    }

    public async Task<CircleDetails> JoinAsync(string memberId, string displayName, string inviteCode)
    {
        var circle = Existing();
        if (FindMember(memberId) is not null) return Details(memberId);
        if (InviteCode.Normalize(inviteCode) != circle.InviteCode)
            throw new CircleNotFoundException(DomainText.Get("Circle.InviteCode"));
        RefuseIfArchived(DomainText.Get("Circle.ArchivedJoin"));
        var member = new CircleMember(memberId, CircleNaming.ValidDisplayName(displayName), CircleRole.Member, clock.GetUtcNow());
        await AppendAsync(member, EventTypes.MemberJoined, Visibility.Circle, null, new { }, upsertMembers: [member]);
        return Details(memberId);
    }

    public Task<CircleDetails> GetDetailsAsync(string viewerId)
    {
        RequireMember(viewerId);
        return Task.FromResult(Details(viewerId));
    }

    public Task<EventReceipt> CheckInAsync(string memberId, CheckInDraft draft) =>
        WriteEntryAsync(memberId, draft.Validate, (member, c) => AppendEntryAsync(member, EventTypes.CheckIn, c.Visibility, c.ClientEventId,
            new { capacity = c.Capacity, feelings = c.Feelings, note = c.Note }));

    public Task<EventReceipt> ShareWinAsync(string memberId, ShareWinDraft draft) =>
        WriteEntryAsync(memberId, draft.Validate, (member, w) => AppendEntryAsync(member, EventTypes.WinShared, w.Visibility, w.ClientEventId,
            new { text = w.Text }));

    public Task<EventReceipt> AcknowledgeAsync(string memberId, AcknowledgeDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, a) =>
        {
            var target = await store.FindEventAsync(CircleId, a.EventId);
            // An entry the member may not see does not exist for them: the message must not confirm it does.
            if (target is null || !target.IsVisibleTo(member.MemberId, member.Role))
                throw new CircleNotFoundException(DomainText.Get("Entry.NotThere"));
            if (!EventTypes.Acknowledgeable.Contains(target.Type))
                throw new DomainValidationException("eventId", DomainText.Get("Entry.OnlyShared"));
            return await AppendEntryAsync(member, EventTypes.Acknowledged, target.Visibility, a.ClientEventId,
                new { targetEventId = target.EventId, targetType = target.Type, kind = a.Kind }, subject: target.MemberId);
        });

    public Task<EventReceipt> MakeCommitmentAsync(string memberId, MakeCommitmentDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, c) =>
        {
            var commitmentId = Guid.NewGuid();
            var cueTime = c.CueTime is { } t ? CommitmentCue.ToWire(t) : null;
            await GrainFactory.GetGrain<ICommitmentGrain>(commitmentId)
                .MakeAsync(new CommitmentPlan(CircleId, member.MemberId, c.Practice, c.Cue, c.Size, c.Visibility, cueTime));
            var receipt = await AppendAsync(member, EventTypes.CommitmentMade, c.Visibility, c.ClientEventId,
                new { commitmentId, practice = c.Practice, cue = c.Cue, size = c.Size, cueTime });
            // Their own choice, kept with them, never in the log.
            if (c.RemindMe) await CueReminders(member.MemberId).SetAsync(CircleId, commitmentId, cueTime!, on: true);
            return receipt;
        });

    public Task<EventReceipt> JoinCommitmentAsync(string memberId, JoinCommitmentDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, j) =>
        {
            var (grain, commitment) = await VisibleCommitmentAsync(member, j.CommitmentId);
            if (commitment.IsPractisedBy(member.MemberId))
                throw new DomainValidationException("commitmentId", commitment.OwnerId == member.MemberId
                    ? DomainText.Get("Commitment.Own")
                    : DomainText.Get("Commitment.Already"));
            if (j.RemindMe && commitment.CueTime is null)
                throw new DomainValidationException("remindMe", NoCueTimeMessage);
            await grain.JoinAsync(member.MemberId);
            var receipt = await AppendAsync(member, EventTypes.CommitmentJoined, commitment.Visibility, j.ClientEventId,
                new { commitmentId = commitment.CommitmentId, practice = commitment.Practice }, subject: commitment.OwnerId);
            if (j.RemindMe) await CueReminders(member.MemberId).SetAsync(CircleId, commitment.CommitmentId, commitment.CueTime!, on: true);
            return receipt;
        });

    public async Task SetCommitmentReminderAsync(string memberId, SetCommitmentReminderDraft draft)
    {
        var member = RequireMember(memberId);
        var r = draft.Validate();
        var (_, commitment) = await VisibleCommitmentAsync(member, r.CommitmentId);
        if (!commitment.IsPractisedBy(member.MemberId))
            throw new CircleAccessDeniedException(DomainText.Get("Commitment.JoinToRemind"));
        if (r.RemindMe)
        {
            // Turning a reminder off always works; an archived circle starts nothing new.
            RefuseIfArchived(ArchivedMessage);
            if (commitment.CueTime is null) throw new DomainValidationException("remindMe", NoCueTimeMessage);
        }
        await CueReminders(member.MemberId).SetAsync(CircleId, commitment.CommitmentId, commitment.CueTime ?? "", r.RemindMe);
    }

    private static string NoCueTimeMessage => DomainText.Get("Commitment.NoCueTime");

    private ICueReminderGrain CueReminders(string memberId) => GrainFactory.GetGrain<ICueReminderGrain>(memberId);

    public Task<EventReceipt> LogPracticeAsync(string memberId, LogPracticeDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, p) =>
        {
            var (_, commitment) = await VisibleCommitmentAsync(member, p.CommitmentId);
            if (!commitment.IsPractisedBy(member.MemberId))
                throw new CircleAccessDeniedException(DomainText.Get("Commitment.JoinToLog"));
            return await AppendEntryAsync(member, EventTypes.PracticeLogged, commitment.Visibility, p.ClientEventId,
                new { commitmentId = commitment.CommitmentId, practice = commitment.Practice, outcome = p.Outcome, note = p.Note },
                subject: commitment.OwnerId);
        });

    public async Task<EventReceipt> BringToSessionAsync(string memberId, BringToSessionDraft draft)
    {
        var receipt = await WriteEntryAsync(memberId, draft.Validate, (member, b) => AppendEntryAsync(member, EventTypes.BroughtToSession,
            b.Visibility, b.ClientEventId, new { text = b.Text }));
        // Only what they can read: a thing kept to oneself tells nobody that it exists.
        if (draft.Validate().Visibility != Visibility.Private) await TellFacilitatorsBroughtAsync(memberId, receipt);
        return receipt;
    }

    /// <summary>
    /// Facilitators hear that something was brought for the next session, once per thing (keyed by the entry, so a
    /// resend tells nobody twice). An ordinary nudge: their quiet hours, lighter week and pause hold. The words name
    /// no one, no circle and nothing of the text.
    /// </summary>
    private Task TellFacilitatorsBroughtAsync(string memberId, EventReceipt brought) =>
        ForEachFacilitatorAsync(memberId, "tell a facilitator of something brought", nudges => nudges.OfferAsync(new NudgeRequest(
            $"brought:{CircleId:N}:{brought.EventId:N}", NudgeKinds.Brought, "Something was brought for the next session",
            "A member brought something to the next session. The dashboard shows it.",
            $"/circles/{CircleId}/facilitate", null, CircleId, [])));

    public Task<EventReceipt> ReflectAsync(string memberId, ReflectDraft draft) =>
        WriteEntryAsync(memberId, draft.Validate, (member, r) => AppendEntryAsync(member, EventTypes.Reflected, r.Visibility, r.ClientEventId,
            new { important = r.Important, stillWithMe = r.StillWithMe, toNotice = r.ToNotice }));

    public Task<EventReceipt> StartRoundAsync(string memberId, StartRoundDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, s) =>
        {
            if (Existing().OpenRound is not null)
                throw new DomainValidationException("prompt", DomainText.Get("Round.AlreadyOpen"));
            var round = new OpenRound(Guid.NewGuid(), s.Prompt, clock.GetUtcNow(), member.MemberId);
            return AppendAsync(member, EventTypes.RoundStarted, Visibility.Circle, s.ClientEventId,
                new { roundId = round.RoundId, prompt = round.Prompt }, round: _ => round, at: round.StartedAt);
        }, facilitatorsOnly: true);

    public Task<EventReceipt> EndRoundAsync(string memberId, EndRoundDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, e) =>
        {
            var round = RequireOpenRound(e.RoundId);
            return AppendAsync(member, EventTypes.RoundEnded, Visibility.Circle, e.ClientEventId,
                new { roundId = round.RoundId, prompt = round.Prompt }, round: _ => null);
        }, facilitatorsOnly: true);

    public Task<EventReceipt> RespondToRoundAsync(string memberId, RespondToRoundDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, a) =>
        {
            var round = RequireOpenRound(a.RoundId);
            // A round happens with the whole circle, so its answers (and passes) are the circle's.
            return AppendEntryAsync(member, EventTypes.RoundAnswered, Visibility.Circle, a.ClientEventId,
                new { roundId = round.RoundId, capacity = a.Capacity, text = a.Text, pass = a.Pass });
        });

    public async Task<EventReceipt> RequestSupportAsync(string memberId, RequestSupportDraft draft)
    {
        var receipt = await WriteEntryAsync(memberId, draft.Validate, (member, s) => AppendEntryAsync(member, EventTypes.SupportRequested,
            Visibility.Facilitators, s.ClientEventId, new { note = s.Note }));
        await TellFacilitatorsAsync(memberId, receipt);
        return receipt;
    }

    public Task<EventReceipt> AddSupportNoteAsync(string memberId, AddSupportNoteDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, n) =>
        {
            var request = await OwnRequestAsync(member, n.RequestEventId);
            return await AppendAsync(member, EventTypes.SupportNoteAdded, Visibility.Facilitators, n.ClientEventId,
                new { targetEventId = request.EventId, note = n.Note });
        });

    public async Task<EventReceipt> WithdrawSupportAsync(string memberId, WithdrawSupportDraft draft)
    {
        var receipt = await WriteAsync(memberId, draft.Validate, async (member, w) =>
        {
            var request = await OwnRequestAsync(member, w.EventId);
            if (clock.GetUtcNow() - request.At > SupportRequests.WithdrawWindow)
            {
                throw new DomainValidationException("requestEventId",
                    DomainText.Get("Support.Stays"));
            }
            return await AppendAsync(member, EventTypes.SupportWithdrawn, Visibility.Facilitators, w.ClientEventId,
                new { targetEventId = request.EventId });
        });
        await ClearSupportNudgesAsync(draft.RequestEventId!.Value);
        return receipt;
    }

    /// <summary>One of the member's own requests that they have not withdrawn; anyone else's reads as not there.</summary>
    private async Task<CircleEvent> OwnRequestAsync(CircleMember member, Guid requestEventId)
    {
        var notThere = DomainText.Get("Support.NotThere");
        var request = await VisibleEntryAsync(member, requestEventId, notThere);
        if (request.Type != EventTypes.SupportRequested || request.MemberId != member.MemberId) throw new CircleNotFoundException(notThere);
        var withdrawn = await store.ReadAuthoredAsync(CircleId, member.MemberId, [EventTypes.SupportWithdrawn]);
        if (withdrawn.Any(w => EventPayload.GuidField(w.PayloadJson, "targetEventId") == requestEventId))
        {
            throw new DomainValidationException("requestEventId",
                DomainText.Get("Support.Withdrawn"));
        }
        return request;
    }

    private string SupportNudgeKey(Guid requestEventId) => $"support:{CircleId:N}:{requestEventId:N}";

    /// <summary>
    /// Facilitators with no page open hear of a support request in their nudges (and by email where it is set up).
    /// Keyed by the request, so a resend or a retry tells each of them once. The words name no one and nothing of
    /// the note: they may be read on a lock screen or in a shared inbox.
    /// </summary>
    private Task TellFacilitatorsAsync(string memberId, EventReceipt request)
    {
        var circle = Existing();
        return ForEachFacilitatorAsync(memberId, "tell a facilitator of a support request", nudges => nudges.OfferAsync(new NudgeRequest(
            SupportNudgeKey(request.EventId), NudgeKinds.Support, "Someone asked for support",
            $"Someone in {circle.Name} asked for support. The dashboard has their request.",
            $"/circles/{CircleId}/facilitate", null, CircleId, [circle.Name])));
    }

    /// <summary>An acknowledged or withdrawn request leaves every facilitator's nudges too (an email already sent stays sent).</summary>
    private Task ClearSupportNudgesAsync(Guid requestEventId) =>
        ForEachFacilitatorAsync(null, "clear a support request from a facilitator's nudges",
            nudges => nudges.DismissAsync(SupportNudgeKey(requestEventId)));

    private async Task ForEachFacilitatorAsync(string? except, string what, Func<INudgeGrain, Task> action)
    {
        foreach (var facilitator in Existing().Members.Where(m => m.Role == CircleRole.Facilitator && m.MemberId != except))
        {
            try
            {
                await action(GrainFactory.GetGrain<INudgeGrain>(facilitator.MemberId));
            }
            catch (Exception e)
            {
                // The request and its state are stored and on every open dashboard; only this way of telling failed.
                logger.LogWarning(e, "Circle {CircleId}: could not {What}", CircleId, what);
            }
        }
    }

    public async Task LeaveAsync(string memberId)
    {
        var member = RequireMember(memberId);
        var circle = Existing();
        // A circle always keeps a facilitator while anyone is in it: they hold its invite code and its rounds.
        var last = circle.Members.Count == 1;
        if (!last && member.Role == CircleRole.Facilitator && circle.Members.Count(m => m.Role == CircleRole.Facilitator) == 1)
        {
            throw new DomainValidationException("circle",
                DomainText.Get("Circle.LastFacilitator"));
        }
        // The last person out archives it, so an old invite code cannot make someone a member of a circle nobody runs.
        var now = clock.GetUtcNow();
        await AppendAsync(member, EventTypes.MemberLeft, Visibility.Circle, null, new { }, removeMembers: [memberId],
            settings: last ? (c, _) => c with { Facilitation = FacilitationOf(c) with { ArchivedAt = now } } : null);
        if (_connections.Remove(memberId)) NotifyPresence();
        await CueReminders(memberId).ForgetCircleAsync(CircleId);
        await MeasureReminders(memberId).ForgetCircleAsync(CircleId);
    }

    public async Task EraseAuthoredAsync(string memberId)
    {
        if (_circle is null) return;
        // All of this is one turn, so no join or practice log can copy the text while it is being erased.
        if (_circle.OpenRound is { } round && round.StartedBy == memberId)
        {
            // The open round's prompt is their words and lives in the circle's own state. Closing the round is what
            // tells every open page and app to stop showing it; the closing entry is theirs and is erased below.
            var author = FindMember(memberId) ?? new CircleMember(memberId, CircleEvent.RemovedAuthorName, CircleRole.Facilitator, round.StartedAt);
            await AppendAsync(author, EventTypes.RoundEnded, Visibility.Circle, null, new { roundId = round.RoundId, prompt = (string?)null },
                round: _ => null);
        }
        // Commitments first: should the log's erase fail, their commitment-made entries are still there for a retry
        // to find, while the other order could leave a commitment's text behind with nothing pointing at it.
        var made = await store.ReadAuthoredAsync(CircleId, memberId, [EventTypes.CommitmentMade]);
        foreach (var commitmentId in Erasure.CommitmentsMadeIn(made))
            await GrainFactory.GetGrain<ICommitmentGrain>(commitmentId).EraseAsync(memberId);

        // Their reminders go too: they were for practices they may no longer want anything said about.
        await CueReminders(memberId).ForgetCircleAsync(CircleId);
        await MeasureReminders(memberId).ForgetCircleAsync(CircleId);

        var erased = await store.EraseAuthoredAsync(CircleId, memberId);
        // In seq order across both kinds, as observers hear everything else.
        var changes = erased.Tombstones.Select(t => (t.Tombstone.Seq, Notify: (Action<ICircleObserver>)(o => o.OnEntryErased(t))))
            .Concat(erased.Rewritten.Select(r => (r.Seq, Notify: (Action<ICircleObserver>)(o => o.OnCircleEvent(r)))));
        foreach (var change in changes.OrderBy(c => c.Seq)) _observers.Notify(change.Notify);
        if (erased.Tombstones.Count > 0 || erased.Rewritten.Count > 0)
            logger.LogInformation("Circle {CircleId}: erased {Tombstones} entries of one member and rewrote {Rewritten} copies",
                CircleId, erased.Tombstones.Count, erased.Rewritten.Count);
    }

    public Task<IReadOnlyList<CircleEvent>> ReadCommitmentEventsAsync(string viewerMemberId)
    {
        var viewer = RequireMember(viewerMemberId);
        return store.ReadCommitmentEventsAsync(CircleId, new EventViewer(viewerMemberId, viewer.Role));
    }

    public async Task<EventPage> ReadEventsAsync(string viewerId, long afterSeq, int max)
    {
        var viewer = RequireMember(viewerId);
        var pageSize = Math.Clamp(max, 1, Limits.EventPage);
        // One extra row says whether the caller should ask again, without counting the whole log.
        var events = await store.ReadEventsAsync(CircleId, new EventViewer(viewerId, viewer.Role), Math.Max(0, afterSeq), pageSize + 1);
        return events.Count > pageSize ? new EventPage(events.Take(pageSize).ToList(), true) : new EventPage(events, false);
    }

    public Task<IReadOnlyList<string>> ConnectAsync(string memberId, string connectionId)
    {
        RequireMember(memberId);
        if (!_connections.TryGetValue(memberId, out var connections)) _connections[memberId] = connections = [];
        if (connections.Add(connectionId) && connections.Count == 1) NotifyPresence();
        return Task.FromResult(PresentMemberIds());
    }

    public Task<IReadOnlyList<string>> DisconnectAsync(string memberId, string connectionId)
    {
        if (_connections.TryGetValue(memberId, out var connections) && connections.Remove(connectionId) && connections.Count == 0)
        {
            _connections.Remove(memberId);
            NotifyPresence();
        }
        return Task.FromResult(PresentMemberIds());
    }

    public Task<long> SubscribeAsync(ICircleObserver observer)
    {
        var circle = Existing();
        _observers.Subscribe(observer, observer);
        // A fresh activation would not know its subscribers, so it stays while they renew.
        DelayDeactivation(CircleSubscription.Lifetime);
        return Task.FromResult(circle.LastSeq);
    }

    public Task UnsubscribeAsync(ICircleObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    /// <summary>
    /// The frame of every member write: membership (and role), validation, then the idempotent resend check, so a
    /// resent entry returns its original receipt and is neither stored nor pushed again.
    /// </summary>
    private async Task<EventReceipt> WriteAsync<TEntry>(
        string memberId, Func<TEntry> validate, Func<CircleMember, TEntry, Task<EventReceipt>> write, bool facilitatorsOnly = false,
        bool evenWhenArchived = false, bool resendCheckedInCommit = false)
        where TEntry : IValidEntry
    {
        var member = RequireMember(memberId);
        if (facilitatorsOnly && member.Role != CircleRole.Facilitator)
            throw new CircleAccessDeniedException(DomainText.Get("Circle.FacilitatorsOnly"));
        var entry = validate();
        // An archived circle refuses the commit, so there a resend is looked up first, to still get its receipt.
        if (entry.ClientEventId is not null && (!resendCheckedInCommit || FacilitationOf(Existing()).IsArchived)
            && await store.FindByClientEventIdAsync(CircleId, memberId, entry.ClientEventId) is { } earlier)
        {
            return earlier;
        }
        // After the resend check: an entry stored before the circle was archived still gets its receipt.
        if (!evenWhenArchived) RefuseIfArchived(ArchivedMessage);
        return await write(member, entry);
    }

    /// <summary>
    /// The frame for entries that need nothing but the log and are checked against nothing that may have changed since
    /// they were first stored: their resend check runs inside the commit, on the writer's connection, instead of as a
    /// lookup of its own before it. A resend gets its original receipt either way.
    /// </summary>
    private Task<EventReceipt> WriteEntryAsync<TEntry>(
        string memberId, Func<TEntry> validate, Func<CircleMember, TEntry, Task<EventReceipt>> write)
        where TEntry : IValidEntry => WriteAsync(memberId, validate, write, resendCheckedInCommit: true);

    /// <summary>Stores one event (and any member or round change) and only then tells observers: nothing is pushed that could be lost.</summary>
    private async Task<EventReceipt> AppendAsync(
        CircleMember author, string type, Visibility visibility, string? clientEventId, object payload,
        string? subject = null, IReadOnlyList<CircleMember>? upsertMembers = null, Func<OpenRound?, OpenRound?>? round = null,
        DateTimeOffset? at = null, IReadOnlyList<string>? removeMembers = null,
        Func<CircleSnapshot, EventReceipt, CircleSnapshot>? settings = null, AccessRecord? access = null) =>
        (await AppendAllAsync(author, [new(type, visibility, clientEventId, payload)], subject, upsertMembers, round, at, removeMembers,
            settings, access))[0];

    /// <summary>One entry of an <see cref="AppendAllAsync"/> commit.</summary>
    private sealed record NewEntry(string Type, Visibility Visibility, string? ClientEventId, object Payload);

    /// <summary>
    /// Stores the author's events in one commit, in order (an answer and the support request it raises: both or
    /// neither), with any member, round or settings change; only then are observers told. Receipts in the same order.
    /// </summary>
    private async Task<IReadOnlyList<EventReceipt>> AppendAllAsync(
        CircleMember author, IReadOnlyList<NewEntry> entries,
        string? subject = null, IReadOnlyList<CircleMember>? upsertMembers = null, Func<OpenRound?, OpenRound?>? round = null,
        DateTimeOffset? at = null, IReadOnlyList<string>? removeMembers = null,
        Func<CircleSnapshot, EventReceipt, CircleSnapshot>? settings = null, AccessRecord? access = null)
    {
        var circle = Existing();
        var when = at ?? clock.GetUtcNow();
        var events = entries.Select((e, i) => NewEvent(circle.LastSeq + 1 + i, e.Type, author, e.Visibility, e.ClientEventId, e.Payload, subject, when))
            .ToList();
        var seq = events[^1].Seq;
        var openRound = round is null ? circle.OpenRound : round(circle.OpenRound);
        upsertMembers ??= [];
        // A change to the circle's own row (name, invite code, settings), in the same commit; it may name the event.
        var changed = settings?.Invoke(circle, new EventReceipt(events[0].EventId, events[0].Seq));
        var row = changed ?? circle;
        var commit = new CircleCommit(CircleId, circle.Version, row.Name, row.InviteCode, circle.CreatedAt, seq,
            upsertMembers, events, openRound, removeMembers, changed is null ? null : FacilitationOf(changed),
            access is null ? null : [access]);
        var version = await store.CommitAsync(commit);

        var members = upsertMembers.Count == 0 && removeMembers is null
            ? circle.Members
            : circle.Members.Where(m => upsertMembers.All(u => u.MemberId != m.MemberId) && removeMembers?.Contains(m.MemberId) != true)
                .Concat(upsertMembers).ToList();
        _circle = row with { LastSeq = seq, Version = version, Members = members, OpenRound = openRound };
        foreach (var circleEvent in events)
        {
            _observers.Notify(o => o.OnCircleEvent(circleEvent));
            logger.LogDebug("Circle {CircleId} stored {Type} at seq {Seq}", CircleId, circleEvent.Type, circleEvent.Seq);
        }
        return events.Select(e => new EventReceipt(e.EventId, e.Seq)).ToList();
    }

    private CircleEvent NewEvent(long seq, string type, CircleMember author, Visibility visibility, string? clientEventId,
        object payload, string? subject, DateTimeOffset at) =>
        new(CircleId, seq, Guid.NewGuid(), type, at, author.MemberId, author.DisplayName, visibility, clientEventId,
            EventPayload.Serialize(payload), subject == author.MemberId ? null : subject);

    /// <summary>A commitment of this circle that the member may see; anything else reads as not there.</summary>
    private async Task<(ICommitmentGrain Grain, CommitmentView Commitment)> VisibleCommitmentAsync(CircleMember member, Guid commitmentId)
    {
        var grain = GrainFactory.GetGrain<ICommitmentGrain>(commitmentId);
        var commitment = await grain.GetAsync();
        if (commitment is null || commitment.CircleId != CircleId
            || !Audience.CanSee(commitment.Visibility, commitment.OwnerId, null, member.MemberId, member.Role))
        {
            throw new CircleNotFoundException(DomainText.Get("Commitment.NotInCircle"));
        }
        return (grain, commitment);
    }

    private OpenRound RequireOpenRound(Guid roundId) =>
        Existing().OpenRound is { } round && round.RoundId == roundId
            ? round
            : throw new DomainValidationException("roundId", DomainText.Get("Round.NotOpen"));

    private CircleSnapshot Existing() =>
        _circle ?? throw new CircleNotFoundException(DomainText.Get("Circle.NotThere"));

    private CircleMember? FindMember(string memberId) =>
        Existing().Members.FirstOrDefault(m => m.MemberId == memberId);

    private CircleMember RequireMember(string memberId) =>
        FindMember(memberId) ?? throw new CircleAccessDeniedException(DomainText.Get("Circle.NotMember"));

    private CircleDetails Details(string viewerId)
    {
        var circle = Existing();
        var role = FindMember(viewerId)?.Role ?? CircleRole.Member;
        return new CircleDetails(circle.CircleId, circle.Name, role,
            role == CircleRole.Facilitator ? circle.InviteCode : null,
            circle.LastSeq, StableOrder(circle.Members), PresentMemberIds(), circle.OpenRound);
    }

    /// <summary>Alphabetical, never by activity: nothing built on this list can rank people.</summary>
    private static List<CircleMember> StableOrder(IEnumerable<CircleMember> members) =>
        members.OrderBy(m => m.DisplayName, StringComparer.CurrentCultureIgnoreCase).ThenBy(m => m.MemberId, StringComparer.Ordinal).ToList();

    private IReadOnlyList<string> PresentMemberIds() =>
        StableOrder(Existing().Members.Where(m => _connections.ContainsKey(m.MemberId))).Select(m => m.MemberId).ToList();

    private void NotifyPresence()
    {
        var present = PresentMemberIds();
        _observers.Notify(o => o.OnPresenceChanged(CircleId, present));
    }
}
