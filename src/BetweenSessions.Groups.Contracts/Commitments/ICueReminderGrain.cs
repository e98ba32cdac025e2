
namespace BetweenSessions.Groups.Contracts.Commitments;

/// <summary>
/// One person's quiet cue reminders, keyed by their Identity user id: which commitments they asked to be reminded
/// of, each with one durable reminder at its cue time on their own clock. Private to them: nothing here reaches a
/// circle's log. Only <see cref="Circles.CircleGrain"/> turns one on, after checking membership, audience and that
/// they practise the commitment; this grain never calls a circle grain back (grains are not reentrant).
/// </summary>
public interface ICueReminderGrain : IGrainWithStringKey
{
    /// <summary>Arms (or disarms) the reminder for one commitment; <paramref name="cueTime"/> is "HH:mm".</summary>
    Task SetAsync(Guid circleId, Guid commitmentId, string cueTime, bool on);

    /// <summary>The commitments that remind this person.</summary>
    Task<IReadOnlyList<Guid>> ListAsync();

    /// <summary>Stops every reminder of theirs from one circle (they left it, or erased what they wrote there).</summary>
    Task ForgetCircleAsync(Guid circleId);
}
