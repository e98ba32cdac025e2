using System.Collections.Concurrent;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Nudges;

public sealed class NudgeGrainTests
{
    private readonly FakeTimeProvider _clock = TestClock.Create();
    private readonly InMemoryGrainStorage _storage = new();
    private readonly InMemoryReminderTable _reminders = new();

    private Task<GroupsGrainHost> StartHost() => GroupsGrainHost.StartAsync(_storage, _reminders, new InMemoryCircleStore(), _clock);

    private static Task StopHost(GroupsGrainHost host) => host.StopAsync();

    private static INudgeGrain Nudges(GroupsGrainHost host, string member = "member-1") =>
        host.Grains.GetGrain<INudgeGrain>(member);

    private static Task Save(GroupsGrainHost host, MemberSettings settings, string member = "member-1") =>
        host.Grains.GetGrain<IMemberSettingsGrain>(member).SaveAsync(settings);

    /// <summary>Moves the clock on by <paramref name="delta"/>, delivering every reminder due on the way.</summary>
    private Task Pass(GroupsGrainHost host, TimeSpan delta) => host.UntilAsync(_clock.GetUtcNow() + delta);

    private static NudgeRequest Invitation(string key, DateTimeOffset? validUntil = null) =>
        new(key, NudgeKinds.Reflect, "A moment to reflect", "If you like, note what stays with you from today's session.",
            ValidUntil: validUntil);

    private static async Task<IReadOnlyList<string>> Keys(GroupsGrainHost host) =>
        (await Nudges(host).ListAsync()).Select(n => n.Key).ToList();

    [Fact]
    public async Task A_nudge_offered_again_even_after_a_restart_is_delivered_once()
    {
        var host = await StartHost();
        Assert.Equal(NudgeDecisionKind.Deliver, (await Nudges(host).OfferAsync(Invitation("session-1"))).Kind);
        Assert.Equal(NudgeDecisionKind.HoldBack, (await Nudges(host).OfferAsync(Invitation("session-1"))).Kind);
        await StopHost(host);

        await using var again = await StartHost();
        await Nudges(again).OfferAsync(Invitation("session-1"));
        Assert.Equal(["session-1"], await Keys(again));
    }

    [Fact]
    public async Task Paused_nudges_are_not_delivered_and_not_kept_for_later()
    {
        await using var host = await StartHost();
        await Save(host, new MemberSettings(PauseAllNudges: true));
        await Nudges(host).OfferAsync(Invitation("a"));
        await Save(host, new MemberSettings());
        await Pass(host, TimeSpan.FromDays(1));
        Assert.Empty(await Keys(host));
    }

    [Fact]
    public async Task A_lighter_week_lets_one_nudge_through_in_seven_days()
    {
        await using var host = await StartHost();
        await Save(host, new MemberSettings(LighterWeek: true));
        await Nudges(host).OfferAsync(Invitation("monday"));
        await Pass(host, TimeSpan.FromDays(3));
        await Nudges(host).OfferAsync(Invitation("thursday"));
        await Pass(host, TimeSpan.FromDays(4));
        await Nudges(host).OfferAsync(Invitation("next-monday"));
        Assert.Equal(["next-monday", "monday"], await Keys(host));
    }

    [Fact]
    public async Task Quiet_hours_in_another_zone_defer_the_nudge_and_a_restart_meanwhile_delivers_it_once()
    {
        // 09:00 UTC on 5 January is 22:00 in Auckland: quiet until 07:00 there, 18:00 UTC.
        var host = await StartHost();
        await Save(host, new MemberSettings(QuietFrom: "21:30", QuietTo: "07:00", TimeZoneId: "Pacific/Auckland"));
        var decision = await Nudges(host).OfferAsync(Invitation("cue-monday"));
        Assert.Equal(NudgeDecisionKind.Defer, decision.Kind);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 18, 0, 0, TimeSpan.Zero), decision.DeferUntil);
        Assert.Empty(await Keys(host));
        await StopHost(host);

        _clock.Advance(TimeSpan.FromHours(8));
        await using var restarted = await StartHost();
        await Pass(restarted, TimeSpan.FromMinutes(59));
        Assert.Empty(await Keys(restarted));
        await Pass(restarted, TimeSpan.FromMinutes(1));
        var delivered = Assert.Single(await Nudges(restarted).ListAsync());
        Assert.Equal("cue-monday", delivered.Key);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 18, 0, 0, TimeSpan.Zero), delivered.DeliveredAt);

        await Pass(restarted, TimeSpan.FromDays(1));
        await Nudges(restarted).OfferAsync(Invitation("cue-monday"));
        Assert.Single(await Keys(restarted));
    }

    [Fact]
    public async Task A_deferred_nudge_is_decided_again_when_quiet_hours_end()
    {
        await using var host = await StartHost();
        await Save(host, new MemberSettings(QuietFrom: "08:00", QuietTo: "10:00"));
        await Nudges(host).OfferAsync(Invitation("held"));
        await Save(host, new MemberSettings(PauseAllNudges: true));
        await Pass(host, TimeSpan.FromHours(2));
        Assert.Empty(await Keys(host));
    }

    [Fact]
    public async Task An_open_list_hears_a_new_nudge_and_a_dismissal_and_an_expired_invitation_leaves_the_list()
    {
        await using var host = await StartHost();
        var heard = new Listener();
        await Nudges(host).SubscribeAsync(host.Grains.CreateObjectReference<INudgeObserver>(heard));
        await Nudges(host).OfferAsync(Invitation("window", _clock.GetUtcNow().AddHours(2)));
        await Nudges(host).OfferAsync(Invitation("other"));
        await Nudges(host).DismissAsync("other");
        // An open list hears of a change after the call that made it returns.
        for (var i = 0; i < 2000 && heard.Heard.Count < 3; i++) await Task.Delay(5, TestContext.Current.CancellationToken);
        Assert.Equal(["+window", "+other", "-other"], heard.Heard);

        Assert.Equal(["window"], await Keys(host));
        await Pass(host, TimeSpan.FromHours(2));
        Assert.Empty(await Keys(host));
    }

    private sealed class Listener : INudgeObserver
    {
        public ConcurrentQueue<string> Heard { get; } = new();

        public void OnNotification(Notification notification) => Heard.Enqueue("+" + notification.Key);

        public void OnNotificationRemoved(string key) => Heard.Enqueue("-" + key);
    }
}
