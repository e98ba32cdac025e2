using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using BetweenSessions.Groups.Grains.Runtime;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Grains.Tests.Circles;

public sealed class LeavingAndErasingTests : IAsyncLifetime
{
    private readonly InMemoryCircleStore _store = new();
    private ServiceProvider _services = default!;
    private IGrainFactory _grains = default!;
    private readonly Guid _circleId = Guid.NewGuid();
    private ICircleGrain Circle => _grains.GetGrain<ICircleGrain>(_circleId);

    public ValueTask InitializeAsync()
    {
        _services = CircleTestHost.Build(_store);
        _grains = _services.GetRequiredService<IGrainFactory>();
        return ValueTask.CompletedTask;
    }

    public async ValueTask DisposeAsync() => await _services.DisposeAsync();

    private async Task<string> CircleWithMiaAsync()
    {
        var created = await Circle.CreateAsync("f1", "Fran", "Tuesday group");
        await Circle.JoinAsync("m1", "Mia", created.InviteCode!);
        return created.InviteCode!;
    }

    private static CheckInDraft CheckIn(string? clientEventId = null, string note = "a slow week") =>
        new(clientEventId, Capacity.Some, null, note, "circle");

    [Fact]
    public async Task A_member_who_leaves_is_announced_and_can_no_longer_read_or_write()
    {
        await CircleWithMiaAsync();

        await Circle.LeaveAsync("m1");

        var events = _store.Events(_circleId);
        Assert.Equal(EventTypes.MemberLeft, events[^1].Type);
        Assert.Equal(Visibility.Circle, events[^1].Visibility);
        Assert.Equal("m1", events[^1].MemberId);
        var details = await Circle.GetDetailsAsync("f1");
        Assert.Equal(["Fran"], details.Members.Select(m => m.DisplayName));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.GetDetailsAsync("m1"));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.ReadEventsAsync("m1", 0, 10));
        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.CheckInAsync("m1", CheckIn()));
        Assert.Empty(await _store.ListForMemberAsync("m1", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Leaving_is_remembered_after_the_circle_reloads()
    {
        await CircleWithMiaAsync();
        await Circle.LeaveAsync("m1");

        await using var fresh = CircleTestHost.Build(_store);
        var reloaded = fresh.GetRequiredService<IGrainFactory>().GetGrain<ICircleGrain>(_circleId);

        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => reloaded.ReadEventsAsync("m1", 0, 10));
    }

    [Fact]
    public async Task The_only_facilitator_is_told_why_they_cannot_leave_and_nothing_changes()
    {
        await CircleWithMiaAsync();
        var commits = _store.Commits;

        var refused = await Assert.ThrowsAsync<DomainValidationException>(() => Circle.LeaveAsync("f1"));

        Assert.Contains("only facilitator", refused.Message);
        Assert.Equal(commits, _store.Commits);
        Assert.Equal(CircleRole.Facilitator, (await Circle.GetDetailsAsync("f1")).Role);
    }

    [Fact]
    public async Task Someone_who_is_not_a_member_cannot_leave()
    {
        await CircleWithMiaAsync();

        await Assert.ThrowsAsync<CircleAccessDeniedException>(() => Circle.LeaveAsync("stranger"));
    }

    [Fact]
    public async Task A_former_member_can_join_again_with_the_code()
    {
        var code = await CircleWithMiaAsync();
        await Circle.LeaveAsync("m1");

        var again = await Circle.JoinAsync("m1", "Mia", code);

        Assert.Contains(again.Members, m => m.MemberId == "m1");
    }

    [Fact]
    public async Task Leaving_ends_the_member_s_presence()
    {
        await CircleWithMiaAsync();
        await Circle.ConnectAsync("m1", "connection-1");

        await Circle.LeaveAsync("m1");

        Assert.Empty((await Circle.GetDetailsAsync("f1")).PresentMemberIds);
    }

    [Fact]
    public async Task Erasing_leaves_tombstones_in_place_of_everything_the_member_wrote_and_nothing_of_others()
    {
        await CircleWithMiaAsync();
        var mine = await Circle.CheckInAsync("m1", CheckIn("resend-1", "my private words"));
        var theirs = await Circle.CheckInAsync("f1", CheckIn(note: "Fran's words"));
        var observer = new Recorder();
        await Circle.SubscribeAsync(observer);

        await Circle.EraseAuthoredAsync("m1");

        var events = await Circle.ReadEventsAsync("f1", 0, 10);
        Assert.Equal([1L, 2L, 3L, 4L], events.Events.Select(e => e.Seq));
        var tombstones = events.Events.Where(e => e.MemberId == "m1").ToList();
        Assert.All(tombstones, e =>
        {
            Assert.Equal(EventTypes.Removed, e.Type);
            Assert.Equal("{}", e.PayloadJson);
            Assert.Equal(CircleEvent.RemovedAuthorName, e.DisplayName);
        });
        Assert.DoesNotContain(events.Events, e => e.PayloadJson.Contains("my private words"));
        Assert.Contains(events.Events, e => e.EventId == theirs.EventId && e.PayloadJson.Contains("Fran's words"));
        Assert.Equal(tombstones.Select(e => e.Seq), observer.Events.Select(e => e.Seq));
        // A resend of the erased entry still gets its original receipt, and stores nothing new.
        Assert.Equal(mine, await Circle.CheckInAsync("m1", CheckIn("resend-1", "my private words")));
    }

    [Fact]
    public async Task Erasing_also_reaches_circles_the_member_has_left()
    {
        await CircleWithMiaAsync();
        await Circle.CheckInAsync("m1", CheckIn(note: "before I left"));
        await Circle.LeaveAsync("m1");

        await Circle.EraseAuthoredAsync("m1");

        Assert.All((await _store.ListAuthoredAsync("m1", TestContext.Current.CancellationToken)).Select(a => a.Event), e => Assert.Equal(EventTypes.Removed, e.Type));
    }

    private sealed class Recorder : ICircleObserver
    {
        public List<CircleEvent> Events { get; } = [];

        public void OnCircleEvent(CircleEvent circleEvent) => Events.Add(circleEvent);

        public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) { }
    }
}
