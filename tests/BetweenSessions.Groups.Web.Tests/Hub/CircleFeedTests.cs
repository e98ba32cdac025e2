using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Web.Subscriptions;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>
/// The host's circle feed when pushes arrive out of order, twice, rewritten or not at all, as they can between hosts
/// and across a failover. The test writes the circle's log straight to the store (so no push reaches the feed but the
/// ones it hands over itself) and listens as the hub relay and the pages do: every seq once, in order.
/// </summary>
[Collection(GroupsAppCollection.Name)]
public sealed class CircleFeedTests(GroupsAppFixture app)
{
    private CircleFeed Feed => app.Services.GetRequiredService<CircleFeed>();
    private ICircleStore Store => app.Services.GetRequiredService<ICircleStore>();

    [Fact]
    public async Task Pushes_a_listener_missed_are_read_from_the_log_and_everything_is_heard_once_in_order()
    {
        var (circle, listener) = await ListenToNewCircleAsync();
        var written = await circle.WriteAsync(3);

        // Only the last one is pushed: the two before it were lost (their host died before it told this one).
        circle.Push(written[2]);
        Assert.Equal(written.Select(e => e.Seq), (await listener.HeardAsync(3)).Select(e => e.Seq));

        // A late copy of what was heard already is dropped.
        circle.Push(written[0]);
        circle.Push(written[2]);
        var next = (await circle.WriteAsync(1))[0];
        circle.Push(next);
        var heard = await listener.HeardAsync(4);
        Assert.Equal([.. written.Select(e => e.Seq), next.Seq], heard.Select(e => e.Seq));
        Assert.Equal([.. written.Select(e => e.EventId), next.EventId], heard.Select(e => e.EventId));
        await listener.HearsNothingMoreAsync(4);
    }

    [Fact]
    public async Task A_push_that_overtook_another_waits_for_it_and_an_entry_rewritten_in_place_is_passed_on()
    {
        var (circle, listener) = await ListenToNewCircleAsync();
        var written = await circle.WriteAsync(2);

        circle.Push(written[1]);
        circle.Push(written[0]);
        Assert.Equal(written.Select(e => e.EventId), (await listener.HeardAsync(2)).Select(e => e.EventId));

        // Erasure rewrites an entry under its old seq: that is news, not a repeat.
        var rewritten = written[0] with { PayloadJson = """{"capacity":"some","note":null}""" };
        circle.Push(rewritten);
        Assert.Equal(rewritten, (await listener.HeardAsync(3))[2]);
        await listener.HearsNothingMoreAsync(3);
    }

    private async Task<(FeedCircle Circle, Listener Listener)> ListenToNewCircleAsync()
    {
        var grains = app.Services.GetRequiredService<IGrainFactory>();
        var circleId = Guid.NewGuid();
        await grains.GetGrain<ICircleGrain>(circleId).CreateAsync("feed-facilitator", "Fran", "Feed test");
        var listener = new Listener();
        await Feed.SubscribeAsync(circleId, listener);
        return (new FeedCircle(circleId, Store, Feed.Find(circleId)!), listener);
    }

    /// <summary>The circle's log, written by the test, and the feed's object its grain would call.</summary>
    private sealed class FeedCircle(Guid circleId, ICircleStore store, CircleFeed.Circle observer)
    {
        public async Task<IReadOnlyList<CircleEvent>> WriteAsync(int count)
        {
            var snapshot = (await store.LoadAsync(circleId))!;
            var author = snapshot.Members[0];
            var events = Enumerable.Range(1, count).Select(i => new CircleEvent(circleId, snapshot.LastSeq + i, Guid.NewGuid(),
                EventTypes.CheckIn, DateTimeOffset.UtcNow, author.MemberId, author.DisplayName, Visibility.Circle, null,
                $$"""{"capacity":"steady","note":"entry {{snapshot.LastSeq + i}}"}""", null)).ToList();
            await store.CommitAsync(new CircleCommit(circleId, snapshot.Version, snapshot.Name, snapshot.InviteCode,
                snapshot.CreatedAt, snapshot.LastSeq + count, [], events, snapshot.OpenRound));
            return events;
        }

        public void Push(CircleEvent circleEvent) => observer.OnCircleEvent(circleEvent);
    }

    private sealed class Listener : ICircleObserver
    {
        private readonly List<CircleEvent> _heard = [];

        public void OnCircleEvent(CircleEvent circleEvent)
        {
            lock (_heard) _heard.Add(circleEvent);
        }

        public void OnEntryErased(ErasedEntry erased) { }

        public void OnPresenceChanged(Guid circleId, IReadOnlyList<string> presentMemberIds) { }

        /// <summary>The first <paramref name="count"/> events heard, once they are.</summary>
        public async Task<IReadOnlyList<CircleEvent>> HeardAsync(int count)
        {
            var deadline = DateTime.UtcNow.AddSeconds(10);
            while (true)
            {
                lock (_heard)
                {
                    if (_heard.Count >= count || DateTime.UtcNow > deadline) return _heard.ToList();
                }
                await Task.Delay(20);
            }
        }

        /// <summary>Longer than the feed holds a push for those before it: anything still to come would have come.</summary>
        public async Task HearsNothingMoreAsync(int count)
        {
            await Task.Delay(TimeSpan.FromSeconds(1));
            lock (_heard) Assert.Equal(count, _heard.Count);
        }
    }
}
