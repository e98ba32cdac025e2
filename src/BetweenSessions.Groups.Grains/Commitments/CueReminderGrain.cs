using BetweenSessions.Groups.Grains.Hosting;
using System.Globalization;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Grains.Settings;
using Microsoft.Extensions.Logging;

namespace BetweenSessions.Groups.Grains.Commitments;

/// <summary>The persisted form: commitment id → its circle. Ids only, no one's words.</summary>
public sealed class CueReminderState
{
    public Dictionary<Guid, Guid> Commitments { get; set; } = [];
}

[GrainType("cuereminder")]
public sealed class CueReminderGrain([PersistentState("CueReminderGrain", GroupsStorage.Name)] IPersistentState<CueReminderState> state, ICircleStore circles, TimeProvider clock, ILogger<CueReminderGrain> logger)
    : StoredGrain<CueReminderState>(state), ICueReminderGrain, IRemindable
{
    private const string Prefix = "cue:";

    /// <summary>How long after its time a cue reminder is still worth sending; quiet hours past that hold it back.</summary>
    public static readonly TimeSpan ValidFor = TimeSpan.FromHours(3);

    public async Task SetAsync(Guid circleId, Guid commitmentId, string cueTime, bool on)
    {
        if (!on)
        {
            await StopAsync(commitmentId);
            return;
        }
        var time = CommitmentCue.Parse(cueTime) ?? throw new DomainValidationException("remindMe", CommitmentCue.NoTimeToRemind);
        if (State.Commitments.GetValueOrDefault(commitmentId) != circleId)
        {
            State.Commitments[commitmentId] = circleId;
            await WriteStateAsync();
        }
        await ArmAsync(commitmentId, time);
    }

    public Task<IReadOnlyList<Guid>> ListAsync() => Task.FromResult<IReadOnlyList<Guid>>(State.Commitments.Keys.ToList());

    public async Task ForgetCircleAsync(Guid circleId)
    {
        foreach (var commitmentId in State.Commitments.Where(c => c.Value == circleId).Select(c => c.Key).ToList())
            await StopAsync(commitmentId);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (!reminderName.StartsWith(Prefix, StringComparison.Ordinal)
            || !Guid.TryParseExact(reminderName[Prefix.Length..], "N", out var commitmentId)) return;
        var memberId = this.GetPrimaryKeyString();
        var circleId = State.Commitments.GetValueOrDefault(commitmentId);
        var commitment = circleId == Guid.Empty ? null : await GrainFactory.GetGrain<ICommitmentGrain>(commitmentId).GetAsync();
        var time = CommitmentCue.Parse(commitment?.CueTime);
        // Read from the store, not the circle's grain: that grain calls this one while a member makes, joins or leaves.
        var circle = commitment is null ? null : await circles.LoadAsync(circleId);
        var member = circle?.Members.FirstOrDefault(m => m.MemberId == memberId);
        if (commitment is null || time is null || commitment.CircleId != circleId || !commitment.IsPractisedBy(memberId)
            || member is null || !Audience.CanSee(commitment.Visibility, commitment.OwnerId, null, memberId, member.Role))
        {
            // Gone, left or erased: the reminder ends quietly, nothing is sent.
            await StopAsync(commitmentId);
            return;
        }

        // The next one is armed before this one is offered, so a restart part-way cannot lose tomorrow's.
        var zone = await ArmAsync(commitmentId, time.Value);
        // An archived circle sends nothing, but the choice stays: facilitators may reopen the circle.
        if (circle!.Facilitation?.IsArchived == true) return;
        // The instant it was armed for (a one-shot's first tick), not when it fired: the same after a restart or a retry.
        var cueAt = new DateTimeOffset(status.FirstTickTime, TimeSpan.Zero);
        var date = CueSchedule.LocalDate(cueAt, zone);
        var around = CommitmentCue.Describe(time.Value);
        // One key per commitment, person and local date: whatever restarts or re-armings happen, a day has one reminder.
        await GrainFactory.GetGrain<INudgeGrain>(memberId).OfferAsync(new NudgeRequest(
            $"cue:{commitmentId:N}:{memberId}:{date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}",
            NudgeKinds.Cue, $"Around {around}: {commitment.Practice}", "If today is a day to rest, that counts too.",
            $"/circles/{circleId}", cueAt + ValidFor, circleId, [around, commitment.Practice]));
    }

    /// <summary>One one-shot reminder at the next cue on the person's clock, in the zone their settings hold now.</summary>
    private async Task<TimeZoneInfo> ArmAsync(Guid commitmentId, TimeOnly time)
    {
        var settings = await GrainFactory.GetGrain<IMemberSettingsGrain>(this.GetPrimaryKeyString()).GetAsync();
        var zone = ZonedTime.Zone(settings.TimeZoneId);
        await this.ArmOneShotReminder(ReminderName(commitmentId), CueSchedule.Next(time, zone, clock.GetUtcNow()), clock);
        return zone;
    }

    private async Task StopAsync(Guid commitmentId)
    {
        if (State.Commitments.Remove(commitmentId)) await WriteStateAsync();
        await this.ArmOneShotReminder(ReminderName(commitmentId), null, clock);
        logger.LogDebug("Cue reminder for commitment {CommitmentId} stopped", commitmentId);
    }

    private static string ReminderName(Guid commitmentId) => Prefix + commitmentId.ToString("N");
}
