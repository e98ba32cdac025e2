using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Grains.Settings;

namespace BetweenSessions.Groups.Grains.Tests.Nudges;

public sealed class NudgePolicyTests
{
    private static DateTimeOffset Utc(int year, int month, int day, int hour, int minute = 0) =>
        new(year, month, day, hour, minute, 0, TimeSpan.Zero);

    private static readonly DateTimeOffset Now = Utc(2026, 1, 14, 10);

    [Fact]
    public void With_no_settings_a_nudge_goes_out_now()
    {
        Assert.Equal(NudgeDecisionKind.Deliver, NudgePolicy.Decide(MemberSettings.Default, Now, Now.AddHours(-1), null).Kind);
    }

    [Fact]
    public void Pause_holds_every_nudge_back_whatever_else_is_set()
    {
        var paused = new MemberSettings(PauseAllNudges: true, QuietFrom: "22:00", QuietTo: "07:00", TimeZoneId: "Pacific/Auckland");
        var decision = NudgePolicy.Decide(paused, Now, null, null);
        Assert.Equal(NudgeDecisionKind.HoldBack, decision.Kind);
        Assert.Null(decision.DeferUntil);
    }

    [Fact]
    public void A_lighter_week_allows_one_nudge_in_any_seven_days()
    {
        var lighter = new MemberSettings(LighterWeek: true);
        Assert.Equal(NudgeDecisionKind.Deliver, NudgePolicy.Decide(lighter, Now, null, null).Kind);
        Assert.Equal(NudgeDecisionKind.HoldBack, NudgePolicy.Decide(lighter, Now, Now.AddDays(-6.9), null).Kind);
        Assert.Equal(NudgeDecisionKind.Deliver, NudgePolicy.Decide(lighter, Now, Now.AddDays(-7), null).Kind);
        Assert.Equal(NudgeDecisionKind.Deliver, NudgePolicy.Decide(MemberSettings.Default, Now, Now.AddMinutes(-1), null).Kind);
    }

    [Fact]
    public void Quiet_hours_are_the_members_own_in_their_zone_and_defer_to_their_end()
    {
        // 10:00 UTC is 23:00 in Auckland (NZDT, +13) in January: quiet until 07:00 there, which is 18:00 UTC.
        var auckland = new MemberSettings(QuietFrom: "22:00", QuietTo: "07:00", TimeZoneId: "Pacific/Auckland");
        var decision = NudgePolicy.Decide(auckland, Now, null, null);
        Assert.Equal(NudgeDecisionKind.Defer, decision.Kind);
        Assert.Equal(Utc(2026, 1, 14, 18), decision.DeferUntil);

        // The same hours for someone in London are not quiet at 10:00.
        var london = auckland with { TimeZoneId = "Europe/London" };
        Assert.Equal(NudgeDecisionKind.Deliver, NudgePolicy.Decide(london, Now, null, null).Kind);
        // Just after midnight in London, still quiet until 07:00 the same morning.
        Assert.Equal(Utc(2026, 1, 15, 7), NudgePolicy.Decide(london, Utc(2026, 1, 15, 0, 30), null, null).DeferUntil);
    }

    [Fact]
    public void Quiet_hours_defer_rather_than_drop_even_in_a_lighter_week_and_an_invitation_whose_window_ends_first_is_not_sent_late()
    {
        var quiet = new MemberSettings(LighterWeek: true, QuietFrom: "09:00", QuietTo: "12:00", TimeZoneId: "UTC");
        Assert.Equal(NudgeDecisionKind.Defer, NudgePolicy.Decide(quiet, Now, null, Now.AddHours(4)).Kind);
        Assert.Equal(NudgeDecisionKind.HoldBack, NudgePolicy.Decide(quiet, Now, null, Now.AddHours(1)).Kind);
        Assert.Equal(NudgeDecisionKind.HoldBack, NudgePolicy.Decide(MemberSettings.Default, Now, null, Now).Kind);
    }

    [Fact]
    public void Quiet_hours_across_daylight_saving_changes_end_at_the_local_time_chosen()
    {
        // Berlin, spring: on 29 March 2026 clocks jump from 02:00 to 03:00. Quiet 22:00 to 07:00 from 23:00 CET (22:00 UTC)
        // ends at 07:00 CEST, 05:00 UTC: eight hours later on the clock, seven in fact.
        var berlin = new MemberSettings(QuietFrom: "22:00", QuietTo: "07:00", TimeZoneId: "Europe/Berlin");
        Assert.Equal(Utc(2026, 3, 29, 5), NudgePolicy.Decide(berlin, Utc(2026, 3, 28, 22), null, null).DeferUntil);
        // Autumn, 25 October 2026: clocks go back from 03:00 to 02:00. The same night ends at 06:00 UTC.
        Assert.Equal(Utc(2026, 10, 25, 6), NudgePolicy.Decide(berlin, Utc(2026, 10, 24, 21), null, null).DeferUntil);
        // Quiet hours that end inside the skipped hour end when the clocks jump: 02:30 does not exist, 03:00 CEST does.
        var early = berlin with { QuietFrom = "01:00", QuietTo = "02:30" };
        Assert.Equal(Utc(2026, 3, 29, 1), NudgePolicy.Decide(early, Utc(2026, 3, 29, 0, 30), null, null).DeferUntil);
    }
}
