
namespace BetweenSessions.Groups.Contracts.Nudges;

/// <summary>What kind of nudge; each has its own calm wording, written where it is offered.</summary>
public static class NudgeKinds
{
    /// <summary>A session ended: a moment to reflect. Args: the circle's name.</summary>
    public const string Reflect = "reflect";

    /// <summary>A practice's cue time. Args: the time ("8:00"), the practice in the member's words.</summary>
    public const string Cue = "cue";

    /// <summary>
    /// To a facilitator: someone in their circle asked for support. Not a gentle nudge about their own practice but
    /// part of running the circle, so it always reaches them (pause, quiet hours and a lighter week do not hold it
    /// back, nor does it use up a lighter week's one nudge), and by email too wherever email is set up. Args: the
    /// circle's name.
    /// </summary>
    public const string Support = "support";

    /// <summary>
    /// To a facilitator: a member flagged something to bring back to the next session that facilitators can see. An
    /// ordinary nudge (their quiet hours, lighter week and pause hold), one per thing brought. Args: none.
    /// </summary>
    public const string Brought = "brought";

    /// <summary>
    /// A measure the member opted in to is open for them again. An ordinary nudge (quiet hours, a lighter week and pause
    /// hold it back), at most once a period. Args: the measure's name.
    /// </summary>
    public const string Measure = "measure";
}

/// <summary>
/// A nudge someone or something wants to send. Key makes it idempotent: the same key is delivered at most once,
/// however often it is offered (a reminder tick keyed by its scheduled instant, say). ValidUntil: after this it is
/// not worth sending, and leaves the list. Title and Text are the English words, kept for a nudge whose kind the web
/// app has no words for; the web app words a known kind from <see cref="Args"/> in the receiver's language when it shows
/// or sends it (see <see cref="NudgeKinds"/> for what each kind's arguments are).
/// </summary>
[GenerateSerializer, Immutable]
public sealed record NudgeRequest(string Key, string Kind, string Title, string Text, string? Link = null,
    DateTimeOffset? ValidUntil = null, Guid? CircleId = null, string[]? Args = null);

/// <summary>A nudge that reached the person's in-app list (Args: what its words are made from, as offered).</summary>
[GenerateSerializer, Immutable]
public sealed record Notification(string Key, string Kind, string Title, string Text, string? Link,
    DateTimeOffset DeliveredAt, DateTimeOffset? ValidUntil, Guid? CircleId, string[]? Args = null);

public static class NudgeSubscription
{
    /// <summary>An observer not renewed for this long is dropped; subscribers renew well within it.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(2);
}

public interface INudgeObserver : IGrainObserver
{
    void OnNotification(Notification notification);

    void OnNotificationRemoved(string key);
}

/// <summary>One person's nudges, keyed by their Identity user id: the one place that decides what goes out and when.</summary>
public interface INudgeGrain : IGrainWithStringKey
{
    /// <summary>Decides by the person's settings; returns what happened (also for a key offered before).</summary>
    Task<NudgeDecision> OfferAsync(NudgeRequest nudge);

    /// <summary>Nudges still worth seeing, newest first.</summary>
    Task<IReadOnlyList<Notification>> ListAsync();

    /// <summary>Removes one from the list; nothing else changes.</summary>
    Task DismissAsync(string key);

    /// <summary>The account is being deleted: forget every nudge, waiting ones included, and their reminder.</summary>
    Task ForgetAsync();

    Task SubscribeAsync(INudgeObserver observer);

    Task UnsubscribeAsync(INudgeObserver observer);
}


[GenerateSerializer]
public enum NudgeDecisionKind
{
    /// <summary>Goes out now.</summary>
    Deliver,

    /// <summary>Quiet hours: waits until they end, then is decided again.</summary>
    Defer,

    /// <summary>Not sent, and not kept for later: paused, a lighter week that already had its nudge, or no longer timely.</summary>
    HoldBack,
}

[GenerateSerializer, Immutable]
public readonly record struct NudgeDecision(NudgeDecisionKind Kind, DateTimeOffset? DeferUntil = null, string? Reason = null);
