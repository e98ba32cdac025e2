using System.Collections.Concurrent;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Grains.Runtime;
using BetweenSessions.Groups.Grains.Settings;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Grains.Tests.Nudges;

public sealed class NudgeGrainTests
{
    private readonly ManualTimeProvider _clock = new();
    private readonly MemoryGrainStorage _storage = new();
    private readonly MemoryReminderTable _reminders = new();

    private Task<ServiceProvider> StartHost() => GroupsGrainHost.StartAsync(_storage, _reminders, new InMemoryCircleStore(), _clock);

    private static Task StopHost(ServiceProvider host) => GroupsGrainHost.StopAsync(host);

    private static INudgeGrain Nudges(ServiceProvider host, string member = "member-1") =>
        host.GetRequiredService<IGrainFactory>().GetGrain<INudgeGrain>(member);

    private static Task Save(ServiceProvider host, MemberSettings settings, string member = "member-1") =>
        host.GetRequiredService<IGrainFactory>().GetGrain<IMemberSettingsGrain>(member).SaveAsync(settings);

    private static NudgeRequest Invitation(string key, DateTimeOffset? validUntil = null) =>
        new(key, NudgeKinds.Reflect, "A moment to reflect", "If you like, note what stays with you from today's session.",
            ValidUntil: validUntil);

    private static async Task<IReadOnlyList<string>> Keys(ServiceProvider host) =>
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
        _clock.Advance(TimeSpan.FromDays(1));
        await host.GetRequiredService<GrainRuntime>().FireDueRemindersAsync();
        Assert.Empty(await Keys(host));
    }

    [Fact]
    public async Task A_lighter_week_lets_one_nudge_through_in_seven_days()
    {
        await using var host = await StartHost();
        await Save(host, new MemberSettings(LighterWeek: true));
        await Nudges(host).OfferAsync(Invitation("monday"));
        _clock.Advance(TimeSpan.FromDays(3));
        await Nudges(host).OfferAsync(Invitation("thursday"));
        _clock.Advance(TimeSpan.FromDays(4));
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
        await restarted.GetRequiredService<GrainRuntime>().FireDueRemindersAsync();
        Assert.Empty(await Keys(restarted));
        _clock.Advance(TimeSpan.FromHours(1));
        await restarted.GetRequiredService<GrainRuntime>().FireDueRemindersAsync();
        var delivered = Assert.Single(await Nudges(restarted).ListAsync());
        Assert.Equal("cue-monday", delivered.Key);
        Assert.Equal(new DateTimeOffset(2026, 1, 5, 18, 0, 0, TimeSpan.Zero), delivered.DeliveredAt);

        _clock.Advance(TimeSpan.FromDays(1));
        await restarted.GetRequiredService<GrainRuntime>().FireDueRemindersAsync();
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
        _clock.Advance(TimeSpan.FromHours(2));
        await host.GetRequiredService<GrainRuntime>().FireDueRemindersAsync();
        Assert.Empty(await Keys(host));
    }

    [Fact]
    public async Task An_open_list_hears_a_new_nudge_and_a_dismissal_and_an_expired_invitation_leaves_the_list()
    {
        await using var host = await StartHost();
        var heard = new Listener();
        await Nudges(host).SubscribeAsync(heard);
        await Nudges(host).OfferAsync(Invitation("window", _clock.GetUtcNow().AddHours(2)));
        await Nudges(host).OfferAsync(Invitation("other"));
        await Nudges(host).DismissAsync("other");
        Assert.Equal(["+window", "+other", "-other"], heard.Heard);

        Assert.Equal(["window"], await Keys(host));
        _clock.Advance(TimeSpan.FromHours(2));
        Assert.Empty(await Keys(host));
    }

    private sealed class Listener : INudgeObserver
    {
        public ConcurrentQueue<string> Heard { get; } = new();

        public void OnNotification(Notification notification) => Heard.Enqueue("+" + notification.Key);

        public void OnNotificationRemoved(string key) => Heard.Enqueue("-" + key);
    }
}
