using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Hosting;

namespace BetweenSessions.Groups.Grains.Circles;

// When the circle meets. Kept with the circle's facilitation settings and changed, like them, through facilitation
// events of the log (facilitators only, idempotent by client event id), so every member's page hears of a change.
public sealed partial class CircleGrain
{
    public Task<EventReceipt> SetSessionScheduleAsync(string memberId, SetSessionScheduleDraft draft) =>
        WriteAsync(memberId, () => draft.Validate(DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)), (member, s) =>
        {
            var earlier = FacilitationOf(Existing()).Schedule;
            // Single-session changes stay: they name sessions by their planned local start, which a new rule may still hold.
            var schedule = s.Schedule is null ? null : Pruned(s.Schedule with
            {
                Cancelled = earlier?.Cancelled, Moved = earlier?.Moved, Added = earlier?.Added, OpeningPrompts = earlier?.OpeningPrompts,
            });
            return ThenArmAsync(AppendSettingsAsync(member, EventTypes.SessionScheduleSet, Visibility.Circle, s.ClientEventId,
                new { schedule = s.Schedule },
                circle => circle with { Facilitation = FacilitationOf(circle) with { Schedule = schedule } }));
        }, facilitatorsOnly: true);

    public Task<EventReceipt> ChangeSessionAsync(string memberId, ChangeSessionDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, c) =>
        {
            var schedule = FacilitationOf(Existing()).Schedule
                ?? throw new DomainValidationException("change", DomainText.Get("Schedule.First"));
            var now = clock.GetUtcNow();
            if (c.Session is { } planned && SessionCalendar.Find(schedule, SessionSchedule.SessionKey(planned), now) is null)
                throw new DomainValidationException("session", DomainText.Get("Schedule.NoSession"));
            var changed = c.Change switch
            {
                ChangeSessionDraft.Cancel => schedule with { Cancelled = Bounded([.. schedule.Cancelled ?? [], c.Session!.Value]) },
                ChangeSessionDraft.Move => schedule with
                {
                    Moved = Bounded([.. (schedule.Moved ?? []).Where(m => m.From != c.Session!.Value), new SessionMove(c.Session!.Value, c.To!.Value)]),
                },
                ChangeSessionDraft.ChoosePrompt => schedule with
                {
                    OpeningPrompts = Bounded([.. (schedule.OpeningPrompts ?? []).Where(p => p.Session != c.Session!.Value),
                        .. (c.Prompt is null ? Array.Empty<SessionPrompt>() : new[] { new SessionPrompt(c.Session!.Value, c.Prompt) })]),
                },
                _ => schedule with { Added = Bounded([.. schedule.Added ?? [], c.To!.Value]) },
            };
            changed = Pruned(changed);
            return ThenArmAsync(AppendSettingsAsync(member, EventTypes.SessionChanged, Visibility.Circle, c.ClientEventId,
                new { change = c.Change, session = c.Session is { } s ? SessionSchedule.SessionKey(s) : null,
                    to = c.To is { } t ? SessionSchedule.SessionKey(t) : null, prompt = c.Prompt },
                circle => circle with { Facilitation = FacilitationOf(circle) with { Schedule = changed } }));
        }, facilitatorsOnly: true);

    /// <summary>The next sessions of this circle, for any member.</summary>
    public Task<IReadOnlyList<Session>> GetUpcomingSessionsAsync(string viewerId, int count)
    {
        RequireMember(viewerId);
        var facilitation = FacilitationOf(Existing());
        var schedule = facilitation.Schedule;
        return Task.FromResult(schedule is null || facilitation.IsArchived
            ? (IReadOnlyList<Session>)[]
            : SessionCalendar.Upcoming(schedule, clock.GetUtcNow(), Math.Clamp(count, 1, 20)));
    }

    // Old changes fall away first: they are long past by the time a circle has made this many.
    private static List<T> Bounded<T>(List<T> changes) => changes.Distinct().TakeLast(Limits.SessionDates).ToList();

    /// <summary>
    /// Single-session changes whose sessions are all over, and past the longest after-session window, name nothing
    /// the calendar will ask about again: they are dropped, so the list only ever holds what is still to come.
    /// </summary>
    private SessionSchedule Pruned(SessionSchedule schedule)
    {
        var zone = ZonedTime.Zone(schedule.TimeZone);
        var before = ZonedTime.Local(clock.GetUtcNow() - PastChangesKept, zone);
        List<T>? Keep<T>(IReadOnlyList<T>? changes, Func<T, bool> over) => changes?.Where(c => !over(c)).ToList();
        return schedule with
        {
            Cancelled = Keep(schedule.Cancelled, d => d < before),
            Moved = Keep(schedule.Moved, m => m.From < before && m.To < before),
            Added = Keep(schedule.Added, d => d < before),
            OpeningPrompts = Keep(schedule.OpeningPrompts, p => p.Session < before),
        };
    }

    /// <summary>The longest session and the longest after-session window, and a day to spare.</summary>
    internal static readonly TimeSpan PastChangesKept =
        TimeSpan.FromMinutes(Limits.SessionMinutesMax + Limits.ReflectWindowMinutesMax) + TimeSpan.FromDays(1);

    private const string SessionEndsReminder = "session-ends";

    /// <summary>How soon inviting is tried again when a tick did not get through every member.</summary>
    internal static readonly TimeSpan InvitingRetry = TimeSpan.FromMinutes(1);

    /// <summary>
    /// At a session's end: every member is invited, once, to reflect while the after-session window is open. The
    /// nudge key names the circle and the session, so a late or repeated tick never invites anyone twice.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != SessionEndsReminder || _circle is null) return;
        var facilitation = FacilitationOf(Existing());
        var now = clock.GetUtcNow();
        var ended = facilitation.Schedule is not { } schedule || facilitation.IsArchived
            ? []
            : SessionCalendar.Upcoming(schedule, now - TimeSpan.FromMinutes(schedule.ReflectWindowMinutes), 8).Where(s => s.End <= now).ToList();
        if (ended.Count > 0)
        {
            // Until every member has been offered the invitation the reminder stays a minute ahead, so that a restart
            // or a failure part-way through finishes inviting instead of losing the rest; offering again is harmless,
            // as the nudge grain delivers each key once. The window's end stops the retries.
            await this.ArmOneShotReminder(SessionEndsReminder, now + InvitingRetry, clock);
            var window = TimeSpan.FromMinutes(facilitation.Schedule!.ReflectWindowMinutes);
            foreach (var session in ended)
            foreach (var member in Existing().Members)
            {
                await GrainFactory.GetGrain<INudgeGrain>(member.MemberId).OfferAsync(new NudgeRequest(
                    $"reflect:{CircleId:N}:{session.Key}", NudgeKinds.Reflect, "A moment to reflect, if you like",
                    $"Today's session of {Existing().Name} has ended. If something stays with you, there is room to note it.",
                    $"/circles/{CircleId}?compose=reflect", session.End + window, CircleId, [Existing().Name]));
            }
        }
        await ArmSessionEndAsync();
    }

    private async Task<EventReceipt> ThenArmAsync(Task<EventReceipt> write)
    {
        var receipt = await write;
        await ArmSessionEndAsync();
        return receipt;
    }

    /// <summary>One durable reminder per circle, at the end of its next session; none without one (or once archived).</summary>
    private async Task ArmSessionEndAsync()
    {
        var facilitation = FacilitationOf(Existing());
        var next = facilitation.IsArchived ? null : SessionCalendar.Next(facilitation.Schedule, clock.GetUtcNow().AddTicks(1));
        await this.ArmOneShotReminder(SessionEndsReminder, next?.End, clock);
    }
}
