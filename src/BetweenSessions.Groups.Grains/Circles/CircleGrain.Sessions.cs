using BetweenSessions.Groups.Domain;

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
            var schedule = s.Schedule is null ? null : s.Schedule with
            {
                Cancelled = earlier?.Cancelled, Moved = earlier?.Moved, Added = earlier?.Added,
            };
            return AppendSettingsAsync(member, EventTypes.SessionScheduleSet, Visibility.Circle, s.ClientEventId,
                new { schedule = s.Schedule },
                circle => circle with { Facilitation = FacilitationOf(circle) with { Schedule = schedule } });
        }, facilitatorsOnly: true);

    public Task<EventReceipt> ChangeSessionAsync(string memberId, ChangeSessionDraft draft) =>
        WriteAsync(memberId, draft.Validate, (member, c) =>
        {
            var schedule = FacilitationOf(Existing()).Schedule
                ?? throw new DomainValidationException("change", "Set when the circle meets first, then change single sessions.");
            var now = clock.GetUtcNow();
            if (c.Session is { } planned && SessionCalendar.Find(schedule, SessionSchedule.SessionKey(planned), now) is null)
                throw new DomainValidationException("session", "There is no such session in this circle's schedule (any more).");
            var changed = c.Change switch
            {
                ChangeSessionDraft.Cancel => schedule with { Cancelled = Bounded([.. schedule.Cancelled ?? [], c.Session!.Value]) },
                ChangeSessionDraft.Move => schedule with
                {
                    Moved = Bounded([.. (schedule.Moved ?? []).Where(m => m.From != c.Session!.Value), new SessionMove(c.Session!.Value, c.To!.Value)]),
                },
                _ => schedule with { Added = Bounded([.. schedule.Added ?? [], c.To!.Value]) },
            };
            return AppendSettingsAsync(member, EventTypes.SessionChanged, Visibility.Circle, c.ClientEventId,
                new { change = c.Change, session = c.Session is { } s ? SessionSchedule.SessionKey(s) : null,
                    to = c.To is { } t ? SessionSchedule.SessionKey(t) : null },
                circle => circle with { Facilitation = FacilitationOf(circle) with { Schedule = changed } });
        }, facilitatorsOnly: true);

    /// <summary>The next sessions of this circle, for any member.</summary>
    public Task<IReadOnlyList<Session>> GetUpcomingSessionsAsync(string viewerId, int count)
    {
        RequireMember(viewerId);
        var schedule = FacilitationOf(Existing()).Schedule;
        return Task.FromResult(schedule is null
            ? (IReadOnlyList<Session>)[]
            : SessionCalendar.Upcoming(schedule, clock.GetUtcNow(), Math.Clamp(count, 1, 20)));
    }

    // Old changes fall away first: they are long past by the time a circle has made this many.
    private static List<T> Bounded<T>(List<T> changes) => changes.Distinct().TakeLast(Limits.SessionDates).ToList();
}
