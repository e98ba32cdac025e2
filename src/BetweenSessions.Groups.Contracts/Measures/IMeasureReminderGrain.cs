namespace BetweenSessions.Groups.Contracts.Measures;

/// <summary>
/// One person's reminders for the measures they opted in to, keyed by their member id. Only the circle's grain arms
/// one, after an opt-in or an answer; at its time this grain reads the person's own entries from the store (never
/// calling a circle grain back: grains are not reentrant) and offers a nudge if the measure is still due.
/// </summary>
public interface IMeasureReminderGrain : IGrainWithStringKey
{
    /// <summary>Arms the reminder of one measure at <paramref name="at"/>, or stops it (null).</summary>
    Task SetAsync(Guid circleId, Guid measureId, DateTimeOffset? at);

    /// <summary>Stops every measure reminder of theirs from one circle (they left it, or erased what they wrote there).</summary>
    Task ForgetCircleAsync(Guid circleId);
}
