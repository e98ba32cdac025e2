using System.Text.Json.Nodes;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Microsoft.EntityFrameworkCore;
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

    private static string Payload(object payload) => EventPayload.Serialize(payload);

    private static JsonObject Fields(CircleEvent e) => JsonNode.Parse(e.PayloadJson)!.AsObject();

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

        await Assert.ThrowsAsync<Orleans.Storage.InconsistentStateException>(() => Store.CommitAsync(stale, Ct));

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
    public async Task Erasing_turns_the_member_s_entries_into_tombstones_that_name_nobody_and_keeps_everyone_else_s()
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

        Assert.Equal([2L, 3L, 4L], erased.Tombstones.Select(e => e.Tombstone.Seq));
        Assert.All(erased.Tombstones, e => Assert.Equal(member.MemberId, e.FormerAuthorId));
        Assert.Equal(facilitator.MemberId, erased.Tombstones[^1].FormerSubjectId);
        var events = await Store.ReadEventsAsync(circle.Id, Viewer(facilitator), 0, 10, Ct);
        Assert.Equal([1L, 2L, 3L, 4L, 5L], events.Select(e => e.Seq));
        Assert.All(events.Where(e => e.Seq is >= 2 and <= 4), e =>
        {
            Assert.Equal(EventTypes.Removed, e.Type);
            Assert.Equal("{}", e.PayloadJson);
            Assert.Equal(CircleEvent.RemovedAuthorName, e.DisplayName);
            Assert.Equal(CircleEvent.RemovedAuthorId, e.MemberId);
            Assert.Null(e.SubjectMemberId);
        });
        Assert.Equal(theirs, events.Single(e => e.Seq == 5));
        Assert.Equal(versionBefore, (await Store.LoadAsync(circle.Id, Ct))!.Version);
        // No row of the log names her any more, in any column.
        await using (var db = fixture.NewContext())
        {
            Assert.False(await db.CircleEvents.AnyAsync(e => e.MemberId == member.MemberId || e.SubjectMemberId == member.MemberId
                || e.ClientEventId == "resend-1" || e.PayloadJson.Contains(member.MemberId), Ct));
        }
        // Her export has nothing left of it.
        Assert.Empty(await Directory.ListAuthoredAsync(member.MemberId, Ct));
        // A resend of the erased entry still finds its receipt (so it cannot store the text again); nobody else's does.
        Assert.Equal(3L, (await Store.FindByClientEventIdAsync(circle.Id, member.MemberId, "resend-1", Ct))?.Seq);
        Assert.Null(await Store.FindByClientEventIdAsync(circle.Id, facilitator.MemberId, "resend-1", Ct));
        // Erasing again changes nothing.
        var again = await Store.EraseAuthoredAsync(circle.Id, member.MemberId, Ct);
        Assert.Empty(again.Tombstones);
        Assert.Empty(again.Rewritten);
    }

    [Fact]
    public async Task Two_people_who_used_the_same_client_id_can_both_erase_and_each_resend_finds_their_own()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var (ada, bo) = (Person("Ada"), Person("Bo"));
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(ada);
        await circle.JoinAsync(bo);
        var adas = await circle.CheckInAsync(ada, clientEventId: "1");
        var bos = await circle.CheckInAsync(bo, clientEventId: "1");

        await Store.EraseAuthoredAsync(circle.Id, ada.MemberId, Ct);
        await Store.EraseAuthoredAsync(circle.Id, bo.MemberId, Ct);

        Assert.Equal(adas.Seq, (await Store.FindByClientEventIdAsync(circle.Id, ada.MemberId, "1", Ct))?.Seq);
        Assert.Equal(bos.Seq, (await Store.FindByClientEventIdAsync(circle.Id, bo.MemberId, "1", Ct))?.Seq);
    }

    [Fact]
    public async Task Erasing_takes_the_copied_text_out_of_other_people_s_entries_and_keeps_their_own_words()
    {
        var robin = Person("Robin", CircleRole.Facilitator);
        var kim = Person("Kim", CircleRole.Facilitator);
        var ada = Person("Ada");
        var circle = await NewCircleAsync(robin);
        await circle.JoinAsync(kim);
        await circle.JoinAsync(ada);
        var (robinsCommitment, kimsCommitment, robinsRound, kimsRound) = (Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid());
        await circle.EntryAsync(robin, EventTypes.CommitmentMade, Payload(new { commitmentId = robinsCommitment, practice = "Walk at dusk", cue = "After dinner", size = (string?)null }));
        await circle.EntryAsync(kim, EventTypes.CommitmentMade, Payload(new { commitmentId = kimsCommitment, practice = "Stretch", cue = "On waking", size = (string?)null }));
        var joined = await circle.EntryAsync(ada, EventTypes.CommitmentJoined, Payload(new { commitmentId = robinsCommitment, practice = "Walk at dusk" }), subjectId: robin.MemberId);
        var logged = await circle.EntryAsync(ada, EventTypes.PracticeLogged,
            Payload(new { commitmentId = robinsCommitment, practice = "Walk at dusk", outcome = "adapted", note = "Ada's own note" }), Visibility.Facilitators, robin.MemberId);
        var joinedKims = await circle.EntryAsync(ada, EventTypes.CommitmentJoined, Payload(new { commitmentId = kimsCommitment, practice = "Stretch" }), subjectId: kim.MemberId);
        await circle.EntryAsync(robin, EventTypes.RoundStarted, Payload(new { roundId = robinsRound, prompt = "One word for today?" }));
        var endedRobins = await circle.EntryAsync(kim, EventTypes.RoundEnded, Payload(new { roundId = robinsRound, prompt = "One word for today?" }));
        await circle.EntryAsync(kim, EventTypes.RoundStarted, Payload(new { roundId = kimsRound, prompt = "Kim asks" }));
        var endedKims = await circle.EntryAsync(kim, EventTypes.RoundEnded, Payload(new { roundId = kimsRound, prompt = "Kim asks" }));

        var erased = await Store.EraseAuthoredAsync(circle.Id, robin.MemberId, Ct);

        Assert.Equal([joined.Seq, logged.Seq, endedRobins.Seq], erased.Rewritten.Select(e => e.Seq));
        var byId = (await Store.ReadEventsAsync(circle.Id, Viewer(kim), 0, 50, Ct)).ToDictionary(e => e.EventId);
        var join = Fields(byId[joined.EventId]);
        Assert.Equal((Erasure.RemovedCommitment, true, robinsCommitment.ToString()),
            ((string?)join["practice"], (bool?)join[Erasure.TextRemovedField], (string?)join["commitmentId"]));
        var log = Fields(byId[logged.EventId]);
        Assert.Equal((Erasure.RemovedCommitment, "adapted", "Ada's own note"), ((string?)log["practice"], (string?)log["outcome"], (string?)log["note"]));
        // They stay what they were: Ada's, with their audience, still answering Robin.
        Assert.Equal((ada.MemberId, Visibility.Facilitators, robin.MemberId),
            (byId[logged.EventId].MemberId, byId[logged.EventId].Visibility, byId[logged.EventId].SubjectMemberId));
        Assert.Equal(Erasure.RemovedPrompt, (string?)Fields(byId[endedRobins.EventId])["prompt"]);
        Assert.Equal(joinedKims, byId[joinedKims.EventId]);
        Assert.Equal(endedKims, byId[endedKims.EventId]);
        await using (var db = fixture.NewContext())
        {
            var payloads = await db.CircleEvents.Where(e => e.CircleId == circle.Id).Select(e => e.PayloadJson).ToListAsync(Ct);
            Assert.DoesNotContain(payloads, p => p.Contains("Walk at dusk") || p.Contains("After dinner") || p.Contains("One word for today?"));
        }
        var again = await Store.EraseAuthoredAsync(circle.Id, robin.MemberId, Ct);
        Assert.Empty(again.Rewritten);
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
