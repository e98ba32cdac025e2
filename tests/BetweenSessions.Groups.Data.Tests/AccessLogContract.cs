using BetweenSessions.Groups.Contracts.Audit;
using BetweenSessions.Groups.Contracts.Circles;
using BetweenSessions.Groups.Domain;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static BetweenSessions.Groups.Data.Tests.CircleWriter;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteAccessLogTests(SqliteFixture fixture) : AccessLogContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresAccessLogTests(PostgresFixture fixture) : AccessLogContract(fixture), IClassFixture<PostgresFixture>
{
    [Fact]
    public async Task Truncating_the_access_log_is_refused_too()
    {
        var (circle, facilitator, member) = await CircleAsync();
        await Log.AppendAsync([new AccessRecord(facilitator.MemberId, AccessActions.RemovedMember, circle.Id, member.MemberId)], Ct);

        await using var db = Fixture.NewContext();
        await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""TRUNCATE "AccessLog" """, Ct));
        Assert.NotEmpty(await Log.ReadCircleAsync(circle.Id, null, 10, Ct));
    }
}

/// <summary>The access log on every provider: who did what is kept, named as they were, and cannot be changed.</summary>
public abstract class AccessLogContract(DatabaseFixture fixture)
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    protected DatabaseFixture Fixture => fixture;

    protected IAccessLog Log => fixture.Services.GetRequiredService<IAccessLog>();

    private protected async Task<(CircleWriter Circle, CircleMember Facilitator, CircleMember Member)> CircleAsync()
    {
        var facilitator = Person("Rae", CircleRole.Facilitator);
        var member = Person("Sam");
        var circle = await new CircleWriter(fixture.Store, "Thursday circle").CreateAsync(facilitator);
        await circle.JoinAsync(member);
        return (circle, facilitator, member);
    }

    [Fact]
    public async Task An_entry_names_who_did_what_to_whom_in_which_circle_and_is_read_by_the_person_and_the_circle()
    {
        var (circle, facilitator, member) = await CircleAsync();

        await Log.AppendAsync([new AccessRecord(facilitator.MemberId, AccessActions.AddedCoFacilitator, circle.Id, member.MemberId)], Ct);
        await Log.AppendAsync([new AccessRecord(member.MemberId, AccessActions.ExportedData)], Ct);
        await Log.AppendAsync([new AccessRecord(member.MemberId, AccessActions.SignedIn, Detail: "Firefox on Android · 203.0.113.7")], Ct);

        var aboutSam = await Log.ReadAboutAsync(member.MemberId, null, 10, ct: Ct);
        Assert.Equal([AccessActions.SignedIn, AccessActions.ExportedData, AccessActions.AddedCoFacilitator], aboutSam.Select(e => e.Action));
        var added = aboutSam[^1];
        Assert.Equal(("Rae", "Sam", "Thursday circle", circle.Id), (added.ActorName, added.SubjectName, added.CircleName, added.CircleId));

        var circleLog = await Log.ReadCircleAsync(circle.Id, null, 10, Ct);
        Assert.Equal([AccessActions.AddedCoFacilitator], circleLog.Select(e => e.Action));
        Assert.Equal("Firefox on Android · 203.0.113.7", Assert.Single(await Log.ReadSignInsAsync(member.MemberId, 10, Ct)).Detail);

        // Pages go back from an id.
        var older = await Log.ReadAboutAsync(member.MemberId, aboutSam[0].Id, 1, ct: Ct);
        Assert.Equal(2, (await Log.ReadAboutAsync(member.MemberId, null, 10, withSignIns: false, Ct)).Count);
        Assert.Equal(AccessActions.ExportedData, Assert.Single(older).Action);
    }

    [Fact]
    public async Task Nobody_can_change_or_delete_an_entry_not_even_with_sql_of_their_own()
    {
        var (circle, facilitator, member) = await CircleAsync();
        await Log.AppendAsync([new AccessRecord(facilitator.MemberId, AccessActions.OpenedSupportRequest, circle.Id, member.MemberId, "1 entry")], Ct);

        await using (var db = fixture.NewContext())
        {
            var table = db.Model.FindEntityType(typeof(Entities.AccessLogRecord))!.GetTableName();
            Assert.Equal("AccessLog", table);
            await Assert.ThrowsAnyAsync<Exception>(() =>
                db.AccessLog.Where(e => e.CircleId == circle.Id).ExecuteUpdateAsync(s => s.SetProperty(e => e.ActorName, "Nobody"), Ct));
            await Assert.ThrowsAnyAsync<Exception>(() => db.AccessLog.Where(e => e.CircleId == circle.Id).ExecuteDeleteAsync(Ct));
            await Assert.ThrowsAnyAsync<Exception>(() => db.Database.ExecuteSqlRawAsync("""DELETE FROM "AccessLog" """, Ct));
        }
        await using (var db = fixture.NewContext())
        {
            var row = await db.AccessLog.SingleAsync(e => e.CircleId == circle.Id, Ct);
            row.Detail = "nothing happened";
            await Assert.ThrowsAnyAsync<Exception>(() => db.SaveChangesAsync(Ct));
        }

        var kept = Assert.Single(await Log.ReadCircleAsync(circle.Id, null, 10, Ct));
        Assert.Equal(("Rae", AccessActions.OpenedSupportRequest, "1 entry"), (kept.ActorName, kept.Action, kept.Detail));
    }

    [Fact]
    public async Task A_facilitator_reading_others_entries_for_the_facilitators_and_support_requests_is_recorded_once_per_person_and_kind()
    {
        var (circle, facilitator, member) = await CircleAsync();
        var other = Person("Ana");
        await circle.JoinAsync(other);
        await circle.CheckInAsync(member, Visibility.Facilitators);
        await circle.CheckInAsync(member, Visibility.Facilitators);
        await circle.EntryAsync(member, EventTypes.SupportRequested, """{"note":"a hard night"}""", Visibility.Facilitators);
        await circle.CheckInAsync(other, Visibility.Circle);
        await circle.CheckInAsync(facilitator, Visibility.Facilitators);

        // A member's read is nobody's business but their own, and shows nothing of others' anyway.
        await fixture.Store.ReadEventsAsync(circle.Id, new EventViewer(other.MemberId, CircleRole.Member), 0, 100, Ct);
        Assert.Empty(await Log.ReadCircleAsync(circle.Id, null, 10, Ct));

        var asFacilitator = new EventViewer(facilitator.MemberId, CircleRole.Facilitator);
        await fixture.Store.ReadEventsAsync(circle.Id, asFacilitator, 0, 100, Ct);
        var opened = await Log.ReadAboutAsync(member.MemberId, null, 10, ct: Ct);
        Assert.Equal(2, opened.Count);
        Assert.Contains(opened, e => e is { Action: AccessActions.OpenedFacilitatorsOnly, Detail: "2 entries", ActorName: "Rae" });
        Assert.Contains(opened, e => e is { Action: AccessActions.OpenedSupportRequest, Detail: "1 entry", SubjectName: "Sam" });
        Assert.Empty(await Log.ReadAboutAsync(other.MemberId, null, 10, ct: Ct));

        // The same page again a moment later says nothing new: the log tells who looked, not how often a page refreshed.
        await fixture.Store.ReadEventsAsync(circle.Id, asFacilitator, 0, 100, Ct);
        Assert.Equal(2, (await Log.ReadAboutAsync(member.MemberId, null, 10, ct: Ct)).Count);
    }

    [Fact]
    public async Task A_change_and_its_access_entry_are_stored_together_or_not_at_all()
    {
        var (circle, facilitator, member) = await CircleAsync();
        var removal = circle.NextCommit(facilitator) with
        {
            RemoveMembers = [member.MemberId],
            Access = [new AccessRecord(facilitator.MemberId, AccessActions.RemovedMember, circle.Id, member.MemberId)],
        };

        // A commit on a stale version stores nothing, its access entry included.
        var stale = removal with { ExpectedVersion = circle.Version - 1 };
        await Assert.ThrowsAnyAsync<Exception>(() => fixture.Store.CommitAsync(stale, Ct));
        Assert.Empty(await Log.ReadCircleAsync(circle.Id, null, 10, Ct));

        circle.Stored(removal, await fixture.Store.CommitAsync(removal, Ct));
        var removed = Assert.Single(await Log.ReadAboutAsync(member.MemberId, null, 10, ct: Ct));
        // Named as they were in the circle, though their membership ended in the same commit.
        Assert.Equal(("Rae", "Sam", AccessActions.RemovedMember), (removed.ActorName, removed.SubjectName, removed.Action));
    }
}
