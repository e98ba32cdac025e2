using BetweenSessions.Groups.Grains.Nudges;
using BetweenSessions.Groups.Grains.Tests.Circles;
using BetweenSessions.Groups.Grains.Tests.Runtime;

namespace BetweenSessions.Groups.Grains.Tests.Nudges;

/// <summary>What goes into the email outbox, and that a claim interrupted by a restart is never handed out again.</summary>
public sealed class EmailOutboxGrainTests
{
    private readonly InMemoryGrainStorage _storage = new();

    private Task<GroupsGrainHost> StartHost(bool emailEnabled = true) =>
        GroupsGrainHost.StartAsync(_storage, new InMemoryReminderTable(), new InMemoryCircleStore(), email: new NudgeEmailChannel { Enabled = emailEnabled });

    private static Task StopHost(GroupsGrainHost host) => host.StopAsync();

    private static IGrainFactory Grains(GroupsGrainHost host) => host.Grains;

    private static IEmailOutboxGrain Outbox(GroupsGrainHost host) => Grains(host).GetGrain<IEmailOutboxGrain>(IEmailOutboxGrain.Key);

    private static NudgeRequest Nudge(string key) => new(key, NudgeKinds.Reflect, "A moment to reflect", "If you like.");

    [Fact]
    public async Task Only_delivered_nudges_of_opted_in_members_are_queued_once_each()
    {
        await using var host = await StartHost();
        await Grains(host).GetGrain<IMemberSettingsGrain>("in").SaveAsync(new MemberSettings(EmailNudges: true));
        await Grains(host).GetGrain<IMemberSettingsGrain>("paused").SaveAsync(new MemberSettings(EmailNudges: true, PauseAllNudges: true));
        await Grains(host).GetGrain<INudgeGrain>("in").OfferAsync(Nudge("k1"));
        await Grains(host).GetGrain<INudgeGrain>("in").OfferAsync(Nudge("k1"));
        await Grains(host).GetGrain<INudgeGrain>("out").OfferAsync(Nudge("k1"));
        await Grains(host).GetGrain<INudgeGrain>("paused").OfferAsync(Nudge("k1"));

        var queued = Assert.Single(await Outbox(host).ListAsync());
        Assert.Equal(("in", "k1", OutboxStatus.Waiting), (queued.MemberId, queued.Nudge.Key, queued.Status));
        await StopHost(host);
    }

    [Fact]
    public async Task Nothing_is_queued_where_email_is_not_set_up_even_for_a_member_who_opted_in()
    {
        await using var host = await StartHost(emailEnabled: false);
        await Grains(host).GetGrain<IMemberSettingsGrain>("in").SaveAsync(new MemberSettings(EmailNudges: true));
        await Grains(host).GetGrain<INudgeGrain>("in").OfferAsync(Nudge("k1"));
        Assert.Single(await Grains(host).GetGrain<INudgeGrain>("in").ListAsync());
        Assert.Empty(await Outbox(host).ListAsync());
        await StopHost(host);
    }

    [Fact]
    public async Task A_claim_left_sending_by_an_earlier_run_becomes_uncertain_and_is_never_claimed_again()
    {
        var host = await StartHost();
        await Outbox(host).EnqueueAsync("m", new Notification("k1", NudgeKinds.Reflect, "t", "x", null, DateTimeOffset.UtcNow, null, null));
        await Outbox(host).EnqueueAsync("m", new Notification("k2", NudgeKinds.Reflect, "t", "x", null, DateTimeOffset.UtcNow, null, null));
        Assert.Equal("k1", (await Outbox(host).ClaimNextAsync())!.Nudge.Key);
        await StopHost(host); // stopped before CompleteAsync: the SMTP conversation may or may not have finished

        await using var again = await StartHost();
        Assert.Equal("k2", (await Outbox(again).ClaimNextAsync())!.Nudge.Key);
        Assert.Null(await Outbox(again).ClaimNextAsync());
        var states = (await Outbox(again).ListAsync()).ToDictionary(e => e.Nudge.Key, e => e.Status);
        Assert.Equal(OutboxStatus.Uncertain, states["k1"]);
        Assert.Equal(OutboxStatus.Sending, states["k2"]);
        await Outbox(again).CompleteAsync("m/k2", sent: true);
        Assert.Equal(OutboxStatus.Sent, (await Outbox(again).ListAsync()).Single(e => e.Nudge.Key == "k2").Status);
        await StopHost(again);
    }
}
