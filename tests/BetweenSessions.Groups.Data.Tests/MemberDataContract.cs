using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Grains.Circles;
using static BetweenSessions.Groups.Data.Tests.CircleWriter;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteMemberDataTests(SqliteFixture fixture) : MemberDataContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresMemberDataTests(PostgresFixture fixture) : MemberDataContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>Leaving a circle, a member's own export and erasing what they wrote, on every provider.</summary>
public abstract class MemberDataContract(DatabaseFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ICircleStore Store => fixture.Store;

    private ICircleDirectory Directory => fixture.Directory;

    private async Task<CircleWriter> NewCircleAsync(CircleMember facilitator, string name = "Tuesday evening circle") =>
        await new CircleWriter(Store, name).CreateAsync(facilitator);

    private static EventViewer Viewer(CircleMember member) => new(member.MemberId, member.Role);

    private async Task LeaveAsync(CircleWriter circle, CircleMember member)
    {
        var commit = circle.NextCommit(member) with { RemoveMembers = [member.MemberId] };
        circle.Stored(commit, await Store.CommitAsync(commit, Ct));
    }

    [Fact]
    public async Task A_commit_can_end_a_membership_and_the_former_member_reads_nothing()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        await circle.CheckInAsync(member);

        await LeaveAsync(circle, member);

        var loaded = await Store.LoadAsync(circle.Id, Ct);
        Assert.Equal([facilitator], loaded!.Members);
        Assert.Empty(await Store.ReadEventsAsync(circle.Id, Viewer(member), 0, 10, Ct));
        Assert.Empty(await Directory.ListForMemberAsync(member.MemberId, Ct));
        // What they wrote stays in the circle's log.
        var events = await Store.ReadEventsAsync(circle.Id, Viewer(facilitator), 0, 10, Ct);
        Assert.Equal([1L, 2L, 3L, 4L], events.Select(e => e.Seq));
    }

    [Fact]
    public async Task A_stale_leave_conflicts_and_keeps_the_member()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        var stale = circle.NextCommit(member) with { RemoveMembers = [member.MemberId] };
        await circle.CheckInAsync(facilitator);

        await Assert.ThrowsAsync<Grains.Runtime.InconsistentStateException>(() => Store.CommitAsync(stale, Ct));

        Assert.Contains(member, (await Store.LoadAsync(circle.Id, Ct))!.Members);
    }

    [Fact]
    public async Task The_export_lists_only_the_member_s_own_entries_in_every_circle_they_were_in()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var first = await NewCircleAsync(facilitator, "A first circle");
        var second = await NewCircleAsync(facilitator, "B second circle");
        await first.JoinAsync(member);
        await second.JoinAsync(member);
        var privateNote = await first.CheckInAsync(member, Visibility.Private);
        await first.CheckInAsync(facilitator);
        await second.CheckInAsync(member);
        await LeaveAsync(second, member);

        var mine = await Directory.ListAuthoredAsync(member.MemberId, Ct);

        Assert.All(mine, a => Assert.Equal(member.MemberId, a.Event.MemberId));
        Assert.Equal(["A first circle", "A first circle", "B second circle", "B second circle", "B second circle"],
            mine.Select(a => a.CircleName));
        Assert.Equal([2L, 3L, 2L, 3L, 4L], mine.Select(a => a.Event.Seq));
        Assert.Contains(mine, a => a.Event.EventId == privateNote.EventId);
    }

    [Fact]
    public async Task Erasing_turns_the_member_s_entries_into_tombstones_and_keeps_everyone_else_s()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        await circle.CheckInAsync(member, clientEventId: "resend-1");
        await circle.AnswerAsync(member, facilitator.MemberId, Visibility.Circle);
        var theirs = await circle.CheckInAsync(facilitator);
        var versionBefore = circle.Version;

        var erased = await Store.EraseAuthoredAsync(circle.Id, member.MemberId, Ct);

        Assert.Equal([2L, 3L, 4L], erased.Select(e => e.Seq));
        var events = await Store.ReadEventsAsync(circle.Id, Viewer(facilitator), 0, 10, Ct);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], events.Select(e => e.Seq));
        Assert.All(events.Where(e => e.MemberId == member.MemberId), e =>
        {
            Assert.Equal(EventTypes.Removed, e.Type);
            Assert.Equal("{}", e.PayloadJson);
            Assert.Equal(CircleEvent.RemovedAuthorName, e.DisplayName);
            Assert.Null(e.SubjectMemberId);
        });
        Assert.Equal(theirs, events.Single(e => e.Seq == 5));
        Assert.Equal(versionBefore, (await Store.LoadAsync(circle.Id, Ct))!.Version);
        // The receipt of a resent entry is still found.
        Assert.Equal(3L, (await Store.FindByClientEventIdAsync(circle.Id, member.MemberId, "resend-1", Ct))?.Seq);
        // Erasing again finds nothing new to erase.
        Assert.Empty(await Store.EraseAuthoredAsync(circle.Id, member.MemberId, Ct));
    }

    [Fact]
    public async Task Erasing_in_one_circle_leaves_the_member_s_other_circles_alone()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var one = await NewCircleAsync(facilitator);
        var other = await NewCircleAsync(facilitator);
        await other.CheckInAsync(facilitator);

        await Store.EraseAuthoredAsync(one.Id, facilitator.MemberId, Ct);

        var untouched = await Store.ReadEventsAsync(other.Id, Viewer(facilitator), 0, 10, Ct);
        Assert.DoesNotContain(untouched, e => e.Type == EventTypes.Removed);
    }
}
