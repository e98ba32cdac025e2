using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Hosting;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Commitments;

/// <summary>
/// The quiet reminder at a commitment's cue time, in an Orleans silo with a fake clock (it starts Monday 5 January
/// 2026, 09:00 UTC). Mia (Berlin, UTC+1 in winter) makes "Stretch" around 08:00 and asks to be reminded; Ari
/// (Auckland, UTC+13) practises it with her.
/// </summary>
public sealed class CueReminderGrainTests
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryGrainStorage _storage = new();
    private readonly InMemoryReminderTable _reminders = new();
    private readonly InMemoryCircleStore _store = new();
    private readonly Guid _circleId = Guid.NewGuid();
    private Guid _commitmentId;

    private Task<GroupsGrainHost> StartHost() => GroupsGrainHost.StartAsync(_storage, _reminders, _store, _clock);

    private static Task StopHost(GroupsGrainHost host) => host.StopAsync();

    private ICircleGrain Circle(GroupsGrainHost host) => host.Grains.GetGrain<ICircleGrain>(_circleId);

    private static T Grain<T>(GroupsGrainHost host, string key) where T : IGrainWithStringKey =>
        host.Grains.GetGrain<T>(key);

    private static string Id() => Guid.NewGuid().ToString("N");

    /// <summary>Fran facilitates; Mia (Berlin) and Ari (Auckland) are members; Mia made "Stretch" around 08:00.</summary>
    private async Task<GroupsGrainHost> CircleWithCue(bool remindMia = true, string? cueTime = "08:00")
    {
        var host = await StartHost();
        await Grain<IMemberSettingsGrain>(host, "mia").SaveAsync(new MemberSettings(TimeZoneId: "Europe/Berlin"));
        await Grain<IMemberSettingsGrain>(host, "ari").SaveAsync(new MemberSettings(TimeZoneId: "Pacific/Auckland"));
        var created = await Circle(host).CreateAsync("fran", "Fran", "Morning practice");
        await Circle(host).JoinAsync("mia", "Mia", created.InviteCode!);
        await Circle(host).JoinAsync("ari", "Ari", created.InviteCode!);
        var receipt = await Circle(host).MakeCommitmentAsync("mia",
            new MakeCommitmentDraft(Id(), "Stretch", "After brushing my teeth", "one minute", "circle", cueTime, remindMia));
        var made = (await Circle(host).ReadCommitmentEventsAsync("mia")).Single(e => e.EventId == receipt.EventId);
        _commitmentId = Guid.Parse(System.Text.Json.JsonDocument.Parse(made.PayloadJson).RootElement.GetProperty("commitmentId").GetString()!);
        return host;
    }

    private static Task Until(GroupsGrainHost host, DateTimeOffset instant) => host.UntilAsync(instant);

    private static DateTimeOffset Utc(int month, int day, int hour, int minute = 0) => new(2026, month, day, hour, minute, 0, TimeSpan.Zero);

    private static async Task<IReadOnlyList<Notification>> Cues(GroupsGrainHost host, string member) =>
        (await Grain<INudgeGrain>(host, member).ListAsync()).Where(n => n.Kind == NudgeKinds.Cue).ToList();

    /// <summary>When the member's reminder of the commitment is armed for next, or null when it has none.</summary>
    private Task<DateTimeOffset?> Armed(string member) =>
        Task.FromResult(_reminders.ArmedFor(GrainId.Create("cuereminder", member), $"cue:{_commitmentId:N}"));

    private string Key(string member, string date) => $"cue:{_commitmentId:N}:{member}:{date}";

    [Fact]
    public async Task The_maker_who_asks_is_reminded_at_eight_their_time_once_a_day_and_the_reminder_rearms()
    {
        await using var host = await CircleWithCue();
        Assert.Equal(Utc(1, 6, 7), await Armed("mia")); // 08:00 Berlin tomorrow; 08:00 today has passed
        Assert.Null(await Armed("ari"));
        Assert.Null(await Armed("fran"));

        await Until(host, Utc(1, 6, 6, 59));
        Assert.Empty(await Cues(host, "mia"));
        await Until(host, Utc(1, 6, 7));
        var cue = Assert.Single(await Cues(host, "mia"));
        Assert.Equal(Key("mia", "2026-01-06"), cue.Key);
        Assert.Equal("Around 8:00: Stretch", cue.Title);
        Assert.Equal("If today is a day to rest, that counts too.", cue.Text);
        Assert.Equal($"/circles/{_circleId}", cue.Link);
        Assert.Equal(Utc(1, 6, 10), cue.ValidUntil);
        foreach (var word in new[] { "missed", "overdue", "streak", "again" })
            Assert.DoesNotContain(word, cue.Title + cue.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Utc(1, 7, 7), await Armed("mia"));

        // The next day brings the next one, and only that.
        await Until(host, Utc(1, 6, 9));
        Assert.Single(await Cues(host, "mia"));
        await Until(host, Utc(1, 7, 7)); // yesterday's has left the list by now (it was valid for three hours)
        Assert.Equal([Key("mia", "2026-01-07")], (await Cues(host, "mia")).Select(n => n.Key));
        Assert.Empty(await Cues(host, "ari"));
    }

    [Fact]
    public async Task Without_asking_nothing_is_armed_and_nothing_comes()
    {
        await using var host = await CircleWithCue(remindMia: false);
        Assert.Null(await Armed("mia"));
        Assert.Empty(await Grain<ICueReminderGrain>(host, "mia").ListAsync());
        await Until(host, Utc(1, 8, 12));
        Assert.Empty(await Cues(host, "mia"));
    }

    [Fact]
    public async Task A_co_practitioner_in_Auckland_is_reminded_at_their_own_eight()
    {
        await using var host = await CircleWithCue(remindMia: false);
        await Circle(host).JoinCommitmentAsync("ari", new JoinCommitmentDraft(Id(), _commitmentId, RemindMe: true));
        // 08:00 on 6 January in Auckland (UTC+13) is 19:00 UTC on the 5th.
        Assert.Equal(Utc(1, 5, 19), await Armed("ari"));
        await Until(host, Utc(1, 5, 19));
        Assert.Equal([Key("ari", "2026-01-06")], (await Cues(host, "ari")).Select(n => n.Key));
        Assert.Empty(await Cues(host, "mia"));
    }

    [Fact]
    public async Task Turned_off_it_stops_and_turned_on_again_it_comes_back()
    {
        await using var host = await CircleWithCue();
        await Circle(host).SetCommitmentReminderAsync("mia", new SetCommitmentReminderDraft(_commitmentId, false));
        Assert.Null(await Armed("mia"));
        await Until(host, Utc(1, 7, 12));
        Assert.Empty(await Cues(host, "mia"));

        await Circle(host).SetCommitmentReminderAsync("mia", new SetCommitmentReminderDraft(_commitmentId, true));
        Assert.Equal([_commitmentId], await Grain<ICueReminderGrain>(host, "mia").ListAsync());
        await Until(host, Utc(1, 8, 7));
        Assert.Equal([Key("mia", "2026-01-08")], (await Cues(host, "mia")).Select(n => n.Key));
    }

    [Fact]
    public async Task Only_someone_who_practises_a_timed_commitment_can_ask_and_outsiders_learn_nothing()
    {
        await using var host = await CircleWithCue();
        // Ari can see it but has not joined.
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            Circle(host).SetCommitmentReminderAsync("ari", new SetCommitmentReminderDraft(_commitmentId, true)));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            Circle(host).SetCommitmentReminderAsync("stranger", new SetCommitmentReminderDraft(_commitmentId, true)));
        await Assert.ThrowsAsync<CircleNotFoundException>(() =>
            Circle(host).SetCommitmentReminderAsync("ari", new SetCommitmentReminderDraft(Guid.NewGuid(), true)));

        var untimed = await Circle(host).MakeCommitmentAsync("ari", new MakeCommitmentDraft(Id(), "Tea", "after dinner", null, "private"));
        var ex = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle(host).MakeCommitmentAsync("mia", new MakeCommitmentDraft(Id(), "Walk", "after lunch", null, "circle", null, true)));
        Assert.Contains("remindMe", ex.Errors.Keys);
        // A private commitment of someone else reads as not there.
        var tea = (await Circle(host).ReadCommitmentEventsAsync("ari")).Single(e => e.EventId == untimed.EventId);
        var teaId = Guid.Parse(System.Text.Json.JsonDocument.Parse(tea.PayloadJson).RootElement.GetProperty("commitmentId").GetString()!);
        await Assert.ThrowsAsync<CircleNotFoundException>(() =>
            Circle(host).SetCommitmentReminderAsync("mia", new SetCommitmentReminderDraft(teaId, true)));
        var noTime = await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle(host).SetCommitmentReminderAsync("ari", new SetCommitmentReminderDraft(teaId, true)));
        Assert.Contains("remindMe", noTime.Errors.Keys);
        Assert.Empty(await Grain<ICueReminderGrain>(host, "ari").ListAsync());
    }

    [Fact]
    public async Task Leaving_the_circle_stops_the_reminder()
    {
        await using var host = await CircleWithCue(remindMia: false);
        await Circle(host).JoinCommitmentAsync("ari", new JoinCommitmentDraft(Id(), _commitmentId, RemindMe: true));
        await Circle(host).LeaveAsync("ari");
        Assert.Null(await Armed("ari"));
        await Until(host, Utc(1, 7, 12));
        Assert.Empty(await Cues(host, "ari"));
    }

    [Fact]
    public async Task Being_removed_stops_the_reminder_at_its_next_tick()
    {
        await using var host = await CircleWithCue();
        await Circle(host).RemoveMemberAsync("fran", new RemoveMemberDraft(Id(), "mia"));
        await Until(host, Utc(1, 6, 7));
        Assert.Empty(await Cues(host, "mia"));
        Assert.Null(await Armed("mia"));
        Assert.Empty(await Grain<ICueReminderGrain>(host, "mia").ListAsync());
    }

    [Fact]
    public async Task Erasing_stops_the_makers_reminder_and_everyone_elses_for_that_commitment()
    {
        await using var host = await CircleWithCue();
        await Circle(host).JoinCommitmentAsync("ari", new JoinCommitmentDraft(Id(), _commitmentId, RemindMe: true));
        await Circle(host).EraseAuthoredAsync("mia");
        Assert.Null(await Armed("mia"));

        await Until(host, Utc(1, 7, 12));
        Assert.Empty(await Cues(host, "mia"));
        Assert.Empty(await Cues(host, "ari")); // the commitment is gone, so Ari's reminder ended at its tick
        Assert.Null(await Armed("ari"));
    }

    [Fact]
    public async Task An_archived_circle_sends_no_reminders_and_reopening_it_brings_them_back()
    {
        await using var host = await CircleWithCue();
        await Circle(host).ArchiveAsync("fran", new ArchiveCircleDraft(Id()));
        await Until(host, Utc(1, 6, 7));
        Assert.Empty(await Cues(host, "mia"));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            Circle(host).SetCommitmentReminderAsync("mia", new SetCommitmentReminderDraft(_commitmentId, true)));

        // Mia's choice outlasts the archive: once a facilitator reopens the circle, the next morning reminds her.
        await Circle(host).ReopenAsync("fran", new ReopenCircleDraft(Id()));
        await Until(host, Utc(1, 7, 7));
        Assert.Single(await Cues(host, "mia"));
    }

    [Fact]
    public async Task A_paused_member_gets_none()
    {
        await using var host = await CircleWithCue();
        await Grain<IMemberSettingsGrain>(host, "mia").SaveAsync(new MemberSettings(TimeZoneId: "Europe/Berlin", PauseAllNudges: true));
        await Until(host, Utc(1, 6, 7));
        Assert.Empty(await Cues(host, "mia"));
        Assert.Equal(Utc(1, 7, 7), await Armed("mia")); // still there for when the pause ends
    }

    [Fact]
    public async Task A_restart_between_arming_and_firing_loses_nothing_and_duplicates_nothing()
    {
        var host = await CircleWithCue();
        await StopHost(host);
        // 08:00 in Berlin (07:00 UTC) passes while no silo runs.
        _clock.Advance(Utc(1, 6, 7, 30) - _clock.GetUtcNow());

        await using var again = await StartHost();
        // The missed tick fires at the reminder's next period after the start, as that day's reminder, once.
        await Until(again, Utc(1, 6, 7, 30) + Contracts.OneShotReminder.Period);
        Assert.Single(again.Ticks, t => t.Name == $"cue:{_commitmentId:N}" && t.FirstTickTime == Utc(1, 6, 7).UtcDateTime);
        Assert.Equal([Key("mia", "2026-01-06")], (await Cues(again, "mia")).Select(n => n.Key));
        Assert.Equal(Utc(1, 7, 7), await Armed("mia"));

        // Restarting right after the tick neither repeats today's nor loses tomorrow's.
        await StopHost(again);
        await using var third = await StartHost();
        await Until(third, Utc(1, 6, 8));
        Assert.Single(await Cues(third, "mia"));
        await Until(third, Utc(1, 7, 7));
        Assert.Equal([Key("mia", "2026-01-07")], (await Cues(third, "mia")).Select(n => n.Key));
    }

    [Fact]
    public async Task A_time_zone_changed_in_settings_counts_from_the_next_arming()
    {
        await using var host = await CircleWithCue();
        await Grain<IMemberSettingsGrain>(host, "mia").SaveAsync(new MemberSettings(TimeZoneId: "America/New_York"));
        await Until(host, Utc(1, 6, 7)); // armed for Berlin's 08:00; it still comes, as that day's
        Assert.Single(await Cues(host, "mia"));
        Assert.Equal(Utc(1, 6, 13), await Armed("mia")); // 08:00 in New York (UTC-5)
        await Until(host, Utc(1, 6, 13));
        // The same local date in New York as the Berlin tick: that day had its reminder (which has left the list by
        // now), so this tick sends nothing more.
        Assert.Empty(await Cues(host, "mia"));
        await Until(host, Utc(1, 7, 13));
        Assert.Equal([Key("mia", "2026-01-07")], (await Cues(host, "mia")).Select(n => n.Key));
    }

    [Fact]
    public async Task Across_the_spring_change_the_reminder_stays_at_eight_in_Berlin()
    {
        // Made on the Friday before the change.
        _clock.Advance(Utc(3, 27, 12) - _clock.GetUtcNow());
        await using var host = await CircleWithCue();
        Assert.Equal(Utc(3, 28, 7), await Armed("mia"));
        await Until(host, Utc(3, 28, 7));
        Assert.Equal([Key("mia", "2026-03-28")], (await Cues(host, "mia")).Select(n => n.Key));
        Assert.Equal(Utc(3, 29, 6), await Armed("mia")); // 08:00 summer time
        await Until(host, Utc(3, 29, 6));
        Assert.Equal([Key("mia", "2026-03-29")], (await Cues(host, "mia")).Select(n => n.Key));
        Assert.Equal("Around 8:00: Stretch", (await Cues(host, "mia")).Single().Title);
        Assert.Equal(Utc(3, 30, 6), await Armed("mia"));
    }
}
