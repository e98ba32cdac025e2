using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using static BetweenSessions.Groups.Data.Tests.CircleWriter;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteCommitmentHistoryTests(SqliteFixture fixture) : CommitmentHistoryContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresCommitmentHistoryTests(PostgresFixture fixture) : CommitmentHistoryContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>
/// A circle's commitments, whatever their age: pages show every one, while the recent-events window would let old
/// ones vanish. The audience rule is applied in SQL, exactly as for the log.
/// </summary>
public abstract class CommitmentHistoryContract(DatabaseFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ICircleStore Store => fixture.Store;

    private static EventViewer Viewer(CircleMember member) => new(member.MemberId, member.Role);

    private static string Made(Guid commitmentId, string practice) =>
        EventPayload.Serialize(new { commitmentId, practice, cue = "After dinner", size = (string?)null });

    [Fact]
    public async Task Every_commitment_event_comes_back_however_old_and_only_to_those_who_may_see_it()
    {
        var robin = Person("Robin", CircleRole.Facilitator);
        var (ada, bo, cy) = (Person("Ada"), Person("Bo"), Person("Cy"));
        var circle = await new CircleWriter(Store, "Thursday circle").CreateAsync(robin);
        foreach (var member in new[] { ada, bo, cy }) await circle.JoinAsync(member);
        var (shared, hidden, forFacilitators) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        var old = await circle.EntryAsync(ada, EventTypes.CommitmentMade, Made(shared, "Walk at dusk"));
        var privately = await circle.EntryAsync(ada, EventTypes.CommitmentMade, Made(hidden, "Journal"), Visibility.Private);
        var quietly = await circle.EntryAsync(bo, EventTypes.CommitmentMade, Made(forFacilitators, "Call my sister"), Visibility.Facilitators);
        // Far more than one page of the log lies between the commitment and what happened to it since.
        for (var i = 0; i < Domain.Limits.EventPage + 5; i++) await circle.CheckInAsync(robin);
        var joined = await circle.EntryAsync(bo, EventTypes.CommitmentJoined,
            EventPayload.Serialize(new { commitmentId = shared, practice = "Walk at dusk" }), subjectId: ada.MemberId);
        var letGo = await circle.EntryAsync(bo, EventTypes.PracticeLogged,
            EventPayload.Serialize(new { commitmentId = forFacilitators, practice = "Call my sister", outcome = "let-go", note = (string?)null }),
            Visibility.Facilitators);
        await circle.CheckInAsync(ada);

        async Task<List<long>> SeenBy(CircleMember viewer) =>
            (await Store.ReadCommitmentEventsAsync(circle.Id, Viewer(viewer), Ct)).Select(e => e.Seq).ToList();

        Assert.Equal([old.Seq, privately.Seq, joined.Seq], await SeenBy(ada));
        Assert.Equal([old.Seq, quietly.Seq, joined.Seq, letGo.Seq], await SeenBy(bo));
        Assert.Equal([old.Seq, quietly.Seq, joined.Seq, letGo.Seq], await SeenBy(robin));
        Assert.Equal([old.Seq, joined.Seq], await SeenBy(cy));
        var first = (await Store.ReadCommitmentEventsAsync(circle.Id, Viewer(cy), Ct))[0];
        Assert.Equal(old, first);
    }

    [Fact]
    public async Task Someone_outside_the_circle_or_claiming_a_role_they_lack_gets_nothing_more()
    {
        var robin = Person("Robin", CircleRole.Facilitator);
        var ada = Person("Ada");
        var circle = await new CircleWriter(Store, "Friday circle").CreateAsync(robin);
        await circle.JoinAsync(ada);
        await circle.EntryAsync(robin, EventTypes.CommitmentMade, Made(Guid.NewGuid(), "Breathe"), Visibility.Facilitators);
        var shared = await circle.EntryAsync(robin, EventTypes.CommitmentMade, Made(Guid.NewGuid(), "Stretch"));

        Assert.Empty(await Store.ReadCommitmentEventsAsync(circle.Id, new EventViewer("user-outsider", CircleRole.Facilitator), Ct));
        // A member who says they facilitate is still only a member to the database.
        var claimed = await Store.ReadCommitmentEventsAsync(circle.Id, new EventViewer(ada.MemberId, CircleRole.Facilitator), Ct);
        Assert.Equal([shared.Seq], claimed.Select(e => e.Seq));
    }

    [Fact]
    public async Task An_erased_commitment_is_gone_from_the_history_and_joins_of_it_lose_its_text()
    {
        var robin = Person("Robin", CircleRole.Facilitator);
        var ada = Person("Ada");
        var circle = await new CircleWriter(Store, "Saturday circle").CreateAsync(robin);
        await circle.JoinAsync(ada);
        var commitmentId = Guid.NewGuid();
        await circle.EntryAsync(ada, EventTypes.CommitmentMade, Made(commitmentId, "Walk at dusk"));
        var joined = await circle.EntryAsync(robin, EventTypes.CommitmentJoined,
            EventPayload.Serialize(new { commitmentId, practice = "Walk at dusk" }), subjectId: ada.MemberId);

        await Store.EraseAuthoredAsync(circle.Id, ada.MemberId, Ct);

        var history = await Store.ReadCommitmentEventsAsync(circle.Id, Viewer(robin), Ct);
        var only = Assert.Single(history);
        Assert.Equal(joined.EventId, only.EventId);
        Assert.DoesNotContain("Walk at dusk", only.PayloadJson);
    }
}
