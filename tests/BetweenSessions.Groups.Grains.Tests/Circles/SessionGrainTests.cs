using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Hosting;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

/// <summary>
/// A circle's schedule in the grain, and the invitation to reflect at each session's end, in an Orleans silo with a
/// fake clock (it starts Monday 5 January 2026, 09:00 UTC; Berlin is UTC+1 then).
/// </summary>
public sealed class SessionGrainTests
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly FlakyGrainStorage _storage = new(new InMemoryGrainStorage());
    private readonly InMemoryReminderTable _reminders = new();
    private readonly InMemoryCircleStore _store = new();
    private readonly Guid _circleId = Guid.NewGuid();
    private const string FirstSession = "2026-01-05T19:00";

    private Task<GroupsGrainHost> StartHost() => GroupsGrainHost.StartAsync(_storage, _reminders, _store, _clock);

    private static Task StopHost(GroupsGrainHost host) => host.StopAsync();

    private ICircleGrain Circle(GroupsGrainHost host) => host.Grains.GetGrain<ICircleGrain>(_circleId);

    private static string Id() => Guid.NewGuid().ToString("N");

    /// <summary>A circle of Fran (facilitating) and Mia meeting Mondays 19:00–20:30 Berlin, invitations open two hours.</summary>
    private async Task<GroupsGrainHost> CircleMeetingMondays()
    {
        var host = await StartHost();
        var created = await Circle(host).CreateAsync("f1", "Fran", "Monday group");
        await Circle(host).JoinAsync("m1", "Mia", created.InviteCode!);
        await Circle(host).SetSessionScheduleAsync("f1", new(Id(), "weekly", "Europe/Berlin", "Monday", "19:00", 90));
        return host;
    }

    private static Task Until(GroupsGrainHost host, DateTimeOffset instant) => host.UntilAsync(instant);

    private static DateTimeOffset Utc(int day, int hour, int minute = 0) => new(2026, 1, day, hour, minute, 0, TimeSpan.Zero);

    private static async Task<IReadOnlyList<string>> Invitations(GroupsGrainHost host, string member) =>
        (await host.Grains.GetGrain<INudgeGrain>(member).ListAsync())
        .Where(n => n.Kind == NudgeKinds.Reflect).Select(n => n.Key).ToList();

    private string Key(string session) => $"reflect:{_circleId:N}:{session}";

    /// <summary>When the circle's session-end reminder is armed for next, or null when it has none.</summary>
    private DateTimeOffset? SessionEndArmed(GroupsGrainHost host) =>
        _reminders.ArmedFor(host.Grains.GetGrain<ICircleGrain>(_circleId).GetGrainId(), "session-ends");

    [Fact]
    public async Task Each_member_is_invited_to_reflect_once_when_the_session_ends_and_only_within_the_window()
    {
        await using var host = await CircleMeetingMondays();
        await Until(host, Utc(5, 19, 29)); // 20:29 Berlin: the session is still on
        Assert.Empty(await Invitations(host, "m1"));

        await Until(host, Utc(5, 19, 30));
        await Until(host, Utc(5, 19, 31)); // a tick again (Orleans delivers at least once) invites nobody twice
        foreach (var member in new[] { "m1", "f1" }) Assert.Equal([Key(FirstSession)], await Invitations(host, member));
        var invitation = (await host.Grains.GetGrain<INudgeGrain>("m1").ListAsync()).Single();
        Assert.Equal($"/circles/{_circleId}?compose=reflect", invitation.Link);
        Assert.Equal(Utc(5, 21, 30), invitation.ValidUntil);
        Assert.DoesNotContain("missed", invitation.Text, StringComparison.OrdinalIgnoreCase);

        // The reminder moved on to next Monday's end and invites to that session, once, too.
        await Until(host, Utc(12, 19, 30));
        Assert.Equal([Key("2026-01-12T19:00")], await Invitations(host, "m1")); // the first one's window has closed
    }

    [Fact]
    public async Task A_cancelled_session_brings_no_invitation_and_the_next_one_still_does()
    {
        await using var host = await CircleMeetingMondays();
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "cancel", FirstSession));

        await Until(host, Utc(5, 21));
        Assert.Empty(await Invitations(host, "m1"));
        await Until(host, Utc(12, 19, 30));
        Assert.Equal([Key("2026-01-12T19:00")], await Invitations(host, "m1"));
    }

    [Fact]
    public async Task A_moved_session_invites_when_it_ends_at_its_new_time()
    {
        await using var host = await CircleMeetingMondays();
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "move", FirstSession, "2026-01-06T10:00"));

        await Until(host, Utc(5, 21));
        Assert.Empty(await Invitations(host, "m1"));
        await Until(host, Utc(6, 10, 30)); // 11:30 Berlin, the moved session's end
        Assert.Equal([Key(FirstSession)], await Invitations(host, "m1"));
        var upcoming = await Circle(host).GetUpcomingSessionsAsync("m1", 1);
        Assert.Equal("2026-01-12T19:00", upcoming.Single().Key);
    }

    [Fact]
    public async Task A_restart_between_arming_and_the_session_end_loses_nothing_and_duplicates_nothing()
    {
        var host = await CircleMeetingMondays();
        await StopHost(host);
        // The session ends (19:30 UTC) while no silo runs.
        _clock.Advance(Utc(5, 20) - _clock.GetUtcNow());

        await using var again = await StartHost();
        // Orleans fires a tick missed while no silo ran at the reminder's next period after the start, once.
        await Until(again, Utc(5, 20) + Contracts.OneShotReminder.Period);
        await Until(again, Utc(5, 20, 10));
        Assert.Single(again.Ticks, t => t.Name == "session-ends" && t.FirstTickTime == Utc(5, 19, 30).UtcDateTime);
        Assert.Equal([Key(FirstSession)], await Invitations(again, "m1"));
        Assert.Equal([Key(FirstSession)], await Invitations(again, "f1"));
        Assert.Equal(Utc(12, 19, 30), SessionEndArmed(again));
    }

    [Fact]
    public async Task A_failure_part_way_through_inviting_is_finished_a_minute_later_and_invites_nobody_twice()
    {
        var host = await CircleMeetingMondays();
        _storage.FailNextWrite = id => id.Type.ToString() == "nudge" && id.Key.ToString() == "m1"; // Fran, first in the circle, is invited

        await Until(host, Utc(5, 19, 30));
        Assert.Equal(1, _storage.Failures);
        Assert.Equal([Key(FirstSession)], await Invitations(host, "f1"));
        Assert.Empty(await Invitations(host, "m1"));

        // The host restarts before the retry; the retry finishes the round, and Fran is not invited again.
        await StopHost(host);
        await using var again = await StartHost();
        await Until(again, Utc(5, 19, 30) + CircleGrain.InvitingRetry);
        Assert.Equal([Key(FirstSession)], await Invitations(again, "m1"));
        Assert.Equal([Key(FirstSession)], await Invitations(again, "f1"));
        var nudges = (await again.Grains.GetGrain<INudgeGrain>("f1").ListAsync()).Count;
        Assert.Equal(1, nudges);

        // Then the reminder moved on to next Monday's end.
        Assert.Equal(Utc(12, 19, 30), SessionEndArmed(again));
    }

    [Fact]
    public async Task Retries_stop_when_the_after_session_window_closes()
    {
        await using var host = await CircleMeetingMondays();
        _storage.FailAlways = id => id.Type.ToString() == "nudge" && id.Key.ToString() == "m1";

        for (var minute = 0; minute <= 125; minute += 1) await Until(host, Utc(5, 19, 30) + TimeSpan.FromMinutes(minute));
        _storage.FailAlways = null;
        await Until(host, Utc(5, 22));

        Assert.Empty(await Invitations(host, "m1")); // never late
        Assert.Equal(Utc(12, 19, 30), SessionEndArmed(host));
    }

    [Fact]
    public async Task Changes_to_sessions_long_over_are_dropped_at_the_next_change_and_coming_ones_stay()
    {
        await using var host = await CircleMeetingMondays();
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "cancel", FirstSession));
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "cancel", "2026-01-19T19:00"));
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "add", To: "2026-01-07T18:00"));

        // Wednesday 7 January: the first session is over, but within the days a late invitation may still ask about it.
        _clock.Advance(Utc(7, 9) - _clock.GetUtcNow());
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "add", To: "2026-01-28T18:00"));
        var kept = (await Circle(host).GetFacilitationAsync("f1")).Schedule!;
        Assert.Equal(2, kept.Cancelled!.Count);
        Assert.Equal(2, kept.Added!.Count);

        // Three weeks on, only what is still to come is kept.
        _clock.Advance(Utc(27, 9) - _clock.GetUtcNow());
        await Circle(host).SetSessionScheduleAsync("f1", new(Id(), "weekly", "Europe/Berlin", "Monday", "19:00", 90));
        var pruned = (await Circle(host).GetFacilitationAsync("f1")).Schedule!;
        Assert.Empty(pruned.Cancelled!);
        Assert.Equal([new DateTime(2026, 1, 28, 18, 0, 0)], pruned.Added);
        Assert.Equal(["2026-01-28T18:00", "2026-02-02T19:00"], (await Circle(host).GetUpcomingSessionsAsync("m1", 2)).Select(s => s.Key));
    }

    [Fact]
    public async Task Changing_the_schedule_rearms_the_reminder_and_clearing_it_disarms_it()
    {
        await using var host = await CircleMeetingMondays();
        await Circle(host).SetSessionScheduleAsync("f1", new(Id(), "weekly", "Europe/Berlin", "Monday", "12:00", 60));
        await Until(host, Utc(5, 12)); // 13:00 Berlin
        Assert.Equal([Key("2026-01-05T12:00")], await Invitations(host, "m1"));

        await Circle(host).SetSessionScheduleAsync("f1", new(Id(), "none", null));
        Assert.Null(SessionEndArmed(host));
        await Until(host, Utc(12, 21));
        Assert.Empty(await Invitations(host, "m1")); // the earlier window has closed, and nothing new came
        Assert.Empty(await Circle(host).GetUpcomingSessionsAsync("m1", 3));
    }

    [Fact]
    public async Task Only_facilitators_set_the_schedule_a_resend_stores_it_once_and_members_see_it_in_the_log()
    {
        await using var host = await CircleMeetingMondays();
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() =>
            Circle(host).SetSessionScheduleAsync("m1", new(Id(), "weekly", "Europe/Berlin", "Friday", "19:00", 90)));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle(host).ChangeSessionAsync("m1", new(Id(), "cancel", FirstSession)));
        await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle(host).ChangeSessionAsync("f1", new(Id(), "cancel", "2026-01-06T19:00")));

        var first = await Circle(host).ChangeSessionAsync("f1", new("add-1", "add", To: "2026-01-08T18:00"));
        var again = await Circle(host).ChangeSessionAsync("f1", new("add-1", "add", To: "2026-01-08T18:00"));
        Assert.Equal(first, again);
        Assert.Single(_store.Events(_circleId), e => e.Type == EventTypes.SessionChanged);
        var scheduled = _store.Events(_circleId).Single(e => e.Type == EventTypes.SessionScheduleSet);
        Assert.Equal(Visibility.Circle, scheduled.Visibility);
        var upcoming = await Circle(host).GetUpcomingSessionsAsync("m1", 3);
        Assert.Equal([FirstSession, "2026-01-08T18:00", "2026-01-12T19:00"], upcoming.Select(s => s.Key));
        Assert.Equal(FirstSession, (await Circle(host).GetSettingsAsync("m1")).NextSession!.Key);
    }

    [Fact]
    public async Task An_opening_prompt_chosen_for_a_session_follows_it_and_a_moved_session_keeps_it()
    {
        await using var host = await CircleMeetingMondays();
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "prompt", FirstSession, Prompt: "  What are you bringing in today?  "));
        await Circle(host).ChangeSessionAsync("f1", new(Id(), "move", FirstSession, "2026-01-06T10:00"));

        var view = await Circle(host).GetFacilitationAsync("f1");
        Assert.Equal("What are you bringing in today?", SessionCalendar.OpeningPrompt(view.Schedule, view.UpcomingSessions![0]));
        Assert.Null(SessionCalendar.OpeningPrompt(view.Schedule, view.UpcomingSessions[1]));
        await Assert.ThrowsAsync<DomainValidationException>(() =>
            Circle(host).ChangeSessionAsync("f1", new(Id(), "prompt", FirstSession, Prompt: new string('a', Limits.RoundPrompt + 1))));
    }
}
