using BetweenSessions.Groups.Domain;

namespace BetweenSessions.Groups.Grains.Circles;

// Measures a person chooses (docs/measures.md). A clinic's questionnaire is offered by the facilitators and kept with
// the circle's settings; a member opts in and answers as entries only they can see in the log. Facilitators read a
// member's own trend through GetMeasuresAsync for that one member, and only while that member shares it; the pulse
// reaches them only as distributions of three answers or more. Nothing here returns two people's answers together.
public sealed partial class CircleGrain
{
    public Task<EventReceipt> OfferMeasureAsync(string memberId, OfferMeasureDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, o) =>
        {
            var measures = FacilitationOf(Existing()).Measures ?? [];
            if (measures.Count >= Limits.MeasuresPerCircle)
                throw new DomainValidationException("measure", DomainText.Format("Measure.TooMany", Limits.MeasuresPerCircle));
            var offered = new OfferedMeasure(Guid.NewGuid(), o.Measure, o.EveryDays, clock.GetUtcNow());
            return AppendSettingsAsync(member, EventTypes.MeasureOffered, Visibility.Circle, o.ClientEventId,
                new { measureId = offered.MeasureId, name = o.Measure.Name, everyDays = o.EveryDays },
                circle => circle with { Facilitation = FacilitationOf(circle) with { Measures = [.. measures, offered] } });
        }, facilitatorsOnly: true);

    public Task<EventReceipt> RetireMeasureAsync(string memberId, RetireMeasureDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, r) =>
        {
            var measure = MeasureOf(r.MeasureId);
            if (!measure.IsOffered) throw new DomainValidationException("measureId", DomainText.Get("Measure.AlreadyRetired"));
            var now = clock.GetUtcNow();
            return AppendSettingsAsync(member, EventTypes.MeasureRetired, Visibility.Circle, r.ClientEventId,
                new { measureId = measure.MeasureId, name = measure.Definition.Name },
                circle => circle with
                {
                    Facilitation = FacilitationOf(circle) with
                    {
                        Measures = FacilitationOf(circle).Measures!.Select(m => m.MeasureId == measure.MeasureId ? m with { RetiredAt = now } : m).ToList(),
                    },
                });
        }, facilitatorsOnly: true);

    public Task<EventReceipt> OptInMeasureAsync(string memberId, OptInMeasureDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, o) =>
        {
            var measure = OfferedMeasureOf(o.MeasureId);
            var earlier = MeasureHistory.ConsentOf(measure.MeasureId, await store.ReadAuthoredAsync(CircleId, member.MemberId, MeasureHistory.Types));
            // Shared, their facilitators know they chose it; kept to themselves, nobody else learns that they did. Taking
            // back a choice that was shared is for the facilitators too: they should not go on believing it is shared.
            var audience = o.ShareWithFacilitators || earlier?.SharedWithFacilitators == true ? Visibility.Facilitators : Visibility.Private;
            var receipt = await AppendAsync(member, EventTypes.MeasureOptedIn, audience,
                o.ClientEventId, new MeasureChoicePayload(measure.MeasureId, o.ShareWithFacilitators));
            await ArmMeasureReminderAsync(member.MemberId, measure);
            return receipt;
        });

    public Task<EventReceipt> StopMeasureAsync(string memberId, StopMeasureDraft draft) =>
        WriteAsync(memberId, draft.Validate, async (member, s) =>
        {
            var measure = MeasureOf(s.MeasureId);
            var authored = await store.ReadAuthoredAsync(CircleId, member.MemberId, MeasureHistory.Types);
            var consent = MeasureHistory.ConsentOf(measure.MeasureId, authored)
                ?? throw new DomainValidationException("measureId", DomainText.Get("Measure.NotOptedIn"));
            var receipt = await AppendAsync(member, EventTypes.MeasureStopped, consent.SharedWithFacilitators ? Visibility.Facilitators : Visibility.Private,
                s.ClientEventId, new MeasureChoicePayload(measure.MeasureId, consent.SharedWithFacilitators));
            await MeasureReminders(member.MemberId).SetAsync(CircleId, measure.MeasureId, null);
            return receipt;
        }, evenWhenArchived: true);

    public async Task<MeasureAnswerReceipt> AnswerMeasureAsync(string memberId, AnswerMeasureDraft draft)
    {
        MeasureReading? reading = null;
        IReadOnlyList<EventReceipt>? stored = null;
        var receipt = await WriteAsync(memberId, () => draft.Validate(MeasureOf(new StopMeasureDraft(draft.ClientEventId, draft.MeasureId).Validate().MeasureId).Definition),
            async (member, a) =>
            {
                var measure = OfferedMeasureOf(a.MeasureId);
                var authored = await store.ReadAuthoredAsync(CircleId, member.MemberId, MeasureHistory.Types);
                if (MeasureHistory.ConsentOf(measure.MeasureId, authored) is null)
                    throw new DomainValidationException("measureId", DomainText.Get("Measure.OptInFirst"));
                reading = a.NotThisWeek ? new MeasureReading(null, null, false) : measure.Definition.Read(a.Answers);
                List<NewEntry> entries =
                [
                    new(EventTypes.MeasureAnswered, Visibility.Private, a.ClientEventId, new MeasureAnsweredPayload(
                        measure.MeasureId, a.NotThisWeek, a.Answers, reading.Score, reading.Band, reading.NeedsSupportNow)),
                ];
                // In the same commit: the answer is never stored without the request it raised. The note says where it
                // came from and nothing of the answer; the facilitators reach out, the member decides what to say.
                if (reading.NeedsSupportNow)
                {
                    entries.Add(new(EventTypes.SupportRequested, Visibility.Facilitators, null,
                        new { note = (string?)null, source = "measure", measureName = measure.Definition.Name }));
                }
                stored = await AppendAllAsync(member, entries);
                await ArmMeasureReminderAsync(member.MemberId, measure);
                return stored[0];
            });
        if (stored is null)
        {
            // A resend: the first answer's own reading, from the log, and no second request.
            var earlier = await store.FindEventAsync(CircleId, receipt.EventId);
            var payload = earlier is null ? null : EventPayload.Read<MeasureAnsweredPayload>(earlier.PayloadJson);
            return new MeasureAnswerReceipt(receipt.EventId, receipt.Seq, payload?.Score, payload?.Band, payload?.NeedsSupportNow ?? false, null);
        }
        var support = stored.Count > 1 ? stored[1] : null;
        if (support is not null) await TellFacilitatorsAsync(memberId, support);
        return new MeasureAnswerReceipt(receipt.EventId, receipt.Seq, reading!.Score, reading.Band, reading.NeedsSupportNow, support);
    }

    public Task<EventReceipt> AnswerPulseAsync(string memberId, SessionPulseDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, p) =>
        {
            var key = SessionSchedule.SessionKey(p.Session);
            if (PulseOpenFor()?.Key != key) throw new DomainValidationException("session", DomainText.Get("Pulse.Closed"));
            return AppendAsync(member, EventTypes.SessionPulse, Visibility.Private, p.ClientEventId,
                new SessionPulsePayload(key, p.Heard, p.Safe, p.Mattered, p.Word));
        });

    public async Task<MeasuresView> GetMeasuresAsync(string viewerId, string? memberId = null)
    {
        var viewer = RequireMember(viewerId);
        var ownView = memberId is null || memberId == viewerId;
        if (!ownView && viewer.Role != CircleRole.Facilitator)
            throw new CircleAccessDeniedException(DomainText.Get("Circle.FacilitatorsOnly"));
        var person = ownView ? viewer : FindMember(memberId!) ?? throw new CircleNotFoundException(DomainText.Get("Measure.NoMember"));
        var authored = await store.ReadAuthoredAsync(CircleId, person.MemberId, [.. MeasureHistory.Types, EventTypes.SessionPulse]);

        var measures = new List<PersonMeasure>();
        foreach (var measure in FacilitationOf(Existing()).Measures ?? [])
        {
            var consent = MeasureHistory.ConsentOf(measure.MeasureId, authored);
            var answers = MeasureHistory.AnswersOf(measure.MeasureId, authored);
            // A facilitator reads a member's trend only while that member shares it; stopping or keeping it to
            // themselves takes every answer out of their view, the earlier ones too.
            if (!ownView && consent?.SharedWithFacilitators != true) continue;
            if (ownView && !measure.IsOffered && answers.Count == 0) continue;
            measures.Add(new PersonMeasure(measure, consent, answers, MeasureHistory.NextDue(measure, consent, answers)));
        }
        var pulses = ownView
            ? authored.Where(e => e.Type == EventTypes.SessionPulse)
                .Select(e => (Event: e, Pulse: EventPayload.Read<SessionPulsePayload>(e.PayloadJson)))
                .Where(p => p.Pulse is not null)
                .Select(p => new PulseAnswer(p.Event.EventId, p.Pulse!.Session, p.Event.At, p.Pulse.Heard, p.Pulse.Safe, p.Pulse.Mattered, p.Pulse.Word))
                .ToList()
            : [];
        return new MeasuresView(person.MemberId, person.DisplayName, measures, pulses, ownView ? PulseOpenFor() : null);
    }

    public async Task<IReadOnlyList<PulseSummary>> GetPulseSummariesAsync(string facilitatorId, int count)
    {
        RequireFacilitator(facilitatorId);
        var pulses = await store.ReadOfTypesAsync(CircleId, [EventTypes.SessionPulse]);
        var steps = Enumerable.Range(SessionPulseDraft.Lowest, SessionPulseDraft.Highest - SessionPulseDraft.Lowest + 1).ToList();
        return pulses
            .Select(e => (Event: e, Pulse: EventPayload.Read<SessionPulsePayload>(e.PayloadJson)))
            .Where(p => p.Pulse is not null)
            // Each person's latest pulse for a session is the one that counts: they may have changed their mind.
            .GroupBy(p => (p.Pulse!.Session, p.Event.MemberId))
            .Select(g => g.MaxBy(p => p.Event.Seq).Pulse!)
            .GroupBy(p => p.Session)
            .OrderByDescending(g => g.Key, StringComparer.Ordinal)
            .Take(Math.Clamp(count, 1, 20))
            .Select(g => new PulseSummary(g.Key, g.Count(),
                AnswerDistribution.Of(g.Select(p => p.Heard), steps),
                AnswerDistribution.Of(g.Select(p => p.Safe), steps),
                AnswerDistribution.Of(g.Select(p => p.Mattered), steps)))
            .ToList();
    }

    /// <summary>The session whose time to reflect is open now (it has ended and its window has not), if any.</summary>
    private Session? PulseOpenFor()
    {
        var facilitation = FacilitationOf(Existing());
        if (facilitation.Schedule is not { } schedule || facilitation.IsArchived) return null;
        var now = clock.GetUtcNow();
        return SessionCalendar.Upcoming(schedule, now - TimeSpan.FromMinutes(schedule.ReflectWindowMinutes), 8)
            .Where(s => s.End <= now).MaxBy(s => s.End);
    }

    private OfferedMeasure MeasureOf(Guid measureId) =>
        FacilitationOf(Existing()).Measures?.FirstOrDefault(m => m.MeasureId == measureId)
            ?? throw new CircleNotFoundException(DomainText.Get("Measure.NotThere"));

    /// <summary>A measure the circle offers now; a retired one can be stopped but not answered or joined.</summary>
    private OfferedMeasure OfferedMeasureOf(Guid measureId)
    {
        var measure = MeasureOf(measureId);
        return measure.IsOffered ? measure : throw new DomainValidationException("measureId", DomainText.Get("Measure.Retired"));
    }

    private async Task ArmMeasureReminderAsync(string memberId, OfferedMeasure measure)
    {
        var authored = await store.ReadAuthoredAsync(CircleId, memberId, MeasureHistory.Types);
        var consent = MeasureHistory.ConsentOf(measure.MeasureId, authored);
        await MeasureReminders(memberId).SetAsync(CircleId, measure.MeasureId,
            MeasureHistory.NextReminder(measure, consent, MeasureHistory.AnswersOf(measure.MeasureId, authored), clock.GetUtcNow()));
    }

    private IMeasureReminderGrain MeasureReminders(string memberId) => GrainFactory.GetGrain<IMeasureReminderGrain>(memberId);
}
