using BetweenSessions.Groups.Grains.Hosting;
using BetweenSessions.Groups.Grains.Settings;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Nudges;

/// <summary>The persisted form: the list, nudges waiting for quiet hours to end, and every key already decided.</summary>
public sealed class NudgeState
{
    public List<Notification> Delivered { get; set; } = [];
    public List<DeferredNudge> Deferred { get; set; } = [];
    public Dictionary<string, DateTimeOffset> Decided { get; set; } = new(StringComparer.Ordinal);
    public DateTimeOffset? LastDeliveredAt { get; set; }
}

public sealed record DeferredNudge(NudgeRequest Nudge, DateTimeOffset Until);

[GrainType("nudge")]
public sealed class NudgeGrain([PersistentState("NudgeGrain", GroupsStorage.Name)] IPersistentState<NudgeState> state, TimeProvider time, NudgeEmailChannel email, NudgePushChannel push, ILogger<NudgeGrain> logger) : StoredGrain<NudgeState>(state), INudgeGrain, IRemindable
{
    private const string DeferredReminder = "deferred-nudges";
    private const int ListLimit = 50;
    private static readonly TimeSpan KeyMemory = TimeSpan.FromDays(120);

    private readonly ObserverManager<INudgeObserver> _observers = new(NudgeSubscription.Lifetime, logger);

        public async Task<NudgeDecision> OfferAsync(NudgeRequest nudge)
    {
        ArgumentNullException.ThrowIfNull(nudge);
        ArgumentException.ThrowIfNullOrWhiteSpace(nudge.Key);
        // At most once: a key seen before (delivered, waiting or held back) is never decided again.
        if (State.Decided.ContainsKey(nudge.Key))
            return State.Deferred.FirstOrDefault(d => d.Nudge.Key == nudge.Key) is { } waiting
                ? new NudgeDecision(NudgeDecisionKind.Defer, waiting.Until, "already waiting")
                : new NudgeDecision(NudgeDecisionKind.HoldBack, Reason: "already decided");
        var decision = await DecideAsync(nudge);
        await WriteStateAsync();
        await ArmAsync();
        await PublishAsync(decision, nudge);
        return decision;
    }

    public Task<IReadOnlyList<Notification>> ListAsync()
    {
        var now = time.GetUtcNow();
        return Task.FromResult<IReadOnlyList<Notification>>(
            State.Delivered.Where(n => n.ValidUntil is not { } until || until > now).OrderByDescending(n => n.DeliveredAt).ToList());
    }

    public async Task ForgetAsync()
    {
        await ClearStateAsync();
        State = new();
        await ArmAsync();
    }

    public async Task DismissAsync(string key)
    {
        if (State.Delivered.RemoveAll(n => n.Key == key) == 0) return;
        await WriteStateAsync();
        _observers.Notify(o => o.OnNotificationRemoved(key));
    }

    public Task SubscribeAsync(INudgeObserver observer)
    {
        _observers.Subscribe(observer, observer);
        DelayDeactivation(NudgeSubscription.Lifetime);
        return Task.CompletedTask;
    }

    public Task UnsubscribeAsync(INudgeObserver observer)
    {
        _observers.Unsubscribe(observer);
        return Task.CompletedTask;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != DeferredReminder) return;
        var now = time.GetUtcNow();
        var due = State.Deferred.Where(d => d.Until <= now).ToList();
        if (due.Count == 0)
        {
            await ArmAsync();
            return;
        }
        List<(NudgeDecision, NudgeRequest)> outcomes = [];
        foreach (var waiting in due)
        {
            State.Deferred.Remove(waiting);
            // Decided again: settings may have changed meanwhile (paused, a lighter week that has had its nudge).
            outcomes.Add((await DecideAsync(waiting.Nudge), waiting.Nudge));
        }
        // Written before anyone hears of it, so a restart after this point cannot deliver these again.
        await WriteStateAsync();
        await ArmAsync();
        foreach (var (decision, nudge) in outcomes) await PublishAsync(decision, nudge);
    }

    private async Task<NudgeDecision> DecideAsync(NudgeRequest nudge)
    {
        var now = time.GetUtcNow();
        var settings = await GrainFactory.GetGrain<IMemberSettingsGrain>(this.GetPrimaryKeyString()).GetAsync();
        var decision = nudge.Kind == NudgeKinds.Support
            ? new NudgeDecision(NudgeDecisionKind.Deliver)
            : NudgePolicy.Decide(settings, now, State.LastDeliveredAt, nudge.ValidUntil);
        State.Decided[nudge.Key] = now;
        foreach (var old in State.Decided.Where(d => now - d.Value > KeyMemory && State.Deferred.All(w => w.Nudge.Key != d.Key)).ToList())
            State.Decided.Remove(old.Key);
        switch (decision.Kind)
        {
            case NudgeDecisionKind.Deliver:
                State.Delivered.Insert(0, new Notification(nudge.Key, nudge.Kind, nudge.Title, nudge.Text, nudge.Link, now,
                    nudge.ValidUntil, nudge.CircleId, nudge.Args));
                if (State.Delivered.Count > ListLimit) State.Delivered.RemoveRange(ListLimit, State.Delivered.Count - ListLimit);
                if (nudge.Kind != NudgeKinds.Support) State.LastDeliveredAt = now;
                break;
            case NudgeDecisionKind.Defer:
                State.Deferred.Add(new DeferredNudge(nudge, decision.DeferUntil!.Value));
                break;
        }
        return decision;
    }

    private async Task PublishAsync(NudgeDecision decision, NudgeRequest nudge)
    {
        if (decision.Kind != NudgeDecisionKind.Deliver) return;
        var delivered = State.Delivered.First(n => n.Key == nudge.Key);
        _observers.Notify(o => o.OnNotification(delivered));
        var memberId = this.GetPrimaryKeyString();
        var settings = GrainFactory.GetGrain<IMemberSettingsGrain>(memberId);
        // Push is asked for per kind, support requests included: a phone buzzing is a choice, unlike the app's list.
        // Handed to the host's sender, never sent in this turn; if it cannot take it, the app list still has the nudge.
        if (push.Enabled && (await settings.GetPushAsync()).For(nudge.Kind) && !push.TryEnqueue(new PushNudge(memberId, delivered)))
            logger.LogWarning("Push for nudge {NudgeKey} dropped: the push queue is full", nudge.Key);
        if (!email.Enabled) return;
        // Asked again now, not at decision time: someone who just stopped email nudges gets this one in the app only.
        if (nudge.Kind == NudgeKinds.Support || (await settings.GetAsync()).EmailNudges)
            await GrainFactory.GetGrain<IEmailOutboxGrain>(IEmailOutboxGrain.Key).EnqueueAsync(memberId, delivered);
    }

    /// <summary>One durable reminder at the earliest end of quiet hours among the waiting nudges; none when none wait.</summary>
    private Task ArmAsync() =>
        this.ArmOneShotReminder(DeferredReminder, State.Deferred.Count == 0 ? null : State.Deferred.Min(d => d.Until), time);
}
