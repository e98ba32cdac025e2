using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Hosting;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Measures;

/// <summary>The persisted form: measure id → its circle. Ids only, nothing anyone answered.</summary>
public sealed class MeasureReminderState
{
    public Dictionary<Guid, Guid> Measures { get; set; } = [];
}

[GrainType("measurereminder")]
public sealed class MeasureReminderGrain(
    [PersistentState("MeasureReminderGrain", GroupsStorage.Name)] IPersistentState<MeasureReminderState> state,
    ICircleStore circles, TimeProvider clock, ILogger<MeasureReminderGrain> logger)
    : StoredGrain<MeasureReminderState>(state), IMeasureReminderGrain, IRemindable
{
    private const string Prefix = "measure:";

    /// <summary>How long a reminder for a due measure stays worth showing; quiet hours past that hold it back.</summary>
    public static readonly TimeSpan ValidFor = TimeSpan.FromDays(2);

    public async Task SetAsync(Guid circleId, Guid measureId, DateTimeOffset? at)
    {
        if (at is null)
        {
            await StopAsync(measureId);
            return;
        }
        if (State.Measures.GetValueOrDefault(measureId) != circleId)
        {
            State.Measures[measureId] = circleId;
            await WriteStateAsync();
        }
        await this.ArmOneShotReminder(ReminderName(measureId), at, clock);
    }

    public async Task ForgetCircleAsync(Guid circleId)
    {
        foreach (var measureId in State.Measures.Where(m => m.Value == circleId).Select(m => m.Key).ToList())
            await StopAsync(measureId);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!reminderName.StartsWith(Prefix, StringComparison.Ordinal)
            || !Guid.TryParseExact(reminderName[Prefix.Length..], "N", out var measureId)) return;
        var memberId = this.GetPrimaryKeyString();
        var circleId = State.Measures.GetValueOrDefault(measureId);
        // Read from the store, not the circle's grain: that grain calls this one while a member opts in or answers.
        var circle = circleId == Guid.Empty ? null : await circles.LoadAsync(circleId);
        var measure = circle?.Facilitation?.Measures?.FirstOrDefault(m => m.MeasureId == measureId);
        var member = circle?.Members.FirstOrDefault(m => m.MemberId == memberId);
        if (measure is null || member is null)
        {
            // Gone, retired below, left or erased: the reminder ends quietly, nothing is sent.
            await StopAsync(measureId);
            return;
        }
        var authored = await circles.ReadAuthoredAsync(circleId, memberId, MeasureHistory.Types);
        var consent = MeasureHistory.ConsentOf(measureId, authored);
        var answers = MeasureHistory.AnswersOf(measureId, authored);
        var now = clock.GetUtcNow();
        if (MeasureHistory.NextDue(measure, consent, answers) is null)
        {
            await StopAsync(measureId);
            return;
        }
        // The next one is armed before this one is offered, so a restart part-way cannot lose the next period's.
        await this.ArmOneShotReminder(ReminderName(measureId), MeasureHistory.NextReminder(measure, consent, answers, now), clock);
        // Not yet due (they answered meanwhile), or an archived circle (the choice stays; it may be reopened): nothing now.
        if (MeasureHistory.ReminderPeriod(measure, consent, answers, now) is not { } period || circle!.Facilitation!.IsArchived) return;
        // Keyed by the period, not by the tick or its arming: a second tick in one period (a retry, a restart, the circle
        // arming it again as someone changes whom they share with) finds the nudge already decided.
        var name = measure.Definition.Name;
        await GrainFactory.GetGrain<INudgeGrain>(memberId).OfferAsync(new NudgeRequest(
            $"measure:{measureId:N}:{memberId}:{period.UtcTicks}", NudgeKinds.Measure,
            $"{name} is open, if you like", "Skipping an item, or \"not this week\", counts as an answer.",
            // Never into the next period, so one measure has at most one nudge in the list at a time.
            $"/circles/{circleId}/measures", period + Min(ValidFor, TimeSpan.FromDays(measure.EveryDays)), circleId, [name]));
    }

    private async Task StopAsync(Guid measureId)
    {
        if (State.Measures.Remove(measureId)) await WriteStateAsync();
        await this.ArmOneShotReminder(ReminderName(measureId), null, clock);
        logger.LogDebug("Measure reminder for measure {MeasureId} stopped", measureId);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static string ReminderName(Guid measureId) => Prefix + measureId.ToString("N");
}
