using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using Microsoft.Extensions.DependencyInjection;
using static BetweenSessions.Groups.Data.Tests.CircleWriter;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteFacilitationDataTests(SqliteFixture fixture) : FacilitationDataContract(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresFacilitationDataTests(PostgresFixture fixture) : FacilitationDataContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>A circle's settings in its row, and the dashboard's history reads with the audience rule, on every provider.</summary>
public abstract class FacilitationDataContract(DatabaseFixture fixture)
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ICircleStore Store => fixture.Store;

    private ICircleHistory History => fixture.Services.GetRequiredService<ICircleHistory>();

    private async Task<CircleWriter> NewCircleAsync(CircleMember facilitator) =>
        await new CircleWriter(Store, "Tuesday evening circle").CreateAsync(facilitator);

    private async Task CommitAsync(CircleWriter circle, CircleCommit commit) => circle.Stored(commit, await Store.CommitAsync(commit, Ct));

    [Fact]
    public async Task Settings_load_back_and_an_everyday_commit_leaves_them_as_they_are()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var archivedAt = new DateTimeOffset(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);
        var settings = new CircleFacilitation(archivedAt, [new CrisisContact("Night line", "0800 111", "Any hour, «free».", "https://example.org")],
            ["Один вопрос?"], ["user-b", "user-a"], Acknowledged: [new AlertAcknowledgement(Guid.NewGuid(), Guid.NewGuid(), 7)]);

        await CommitAsync(circle, circle.NextCommit(facilitator) with { Facilitation = settings });
        await CommitAsync(circle, circle.NextCommit(facilitator));

        var loaded = await Store.LoadAsync(circle.Id, Ct);
        Assert.Equal(archivedAt, loaded!.Facilitation!.ArchivedAt);
        Assert.Equal(settings.CrisisResources, loaded.Facilitation.CrisisResources);
        Assert.Equal(settings.RoundPrompts, loaded.Facilitation.RoundPrompts);
        Assert.Equal(settings.SeatingOrder, loaded.Facilitation.SeatingOrder);
        Assert.Equal(settings.Acknowledged, loaded.Facilitation.Acknowledged);

        await CommitAsync(circle, circle.NextCommit(facilitator) with { Facilitation = CircleFacilitation.Default });
        Assert.Null((await Store.LoadAsync(circle.Id, Ct))!.Facilitation);
    }

    [Fact]
    public async Task A_schedule_with_its_single_session_changes_loads_back_and_the_same_sessions_follow()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var schedule = new SetSessionScheduleDraft(null, "fortnightly", "America/Argentina/Buenos_Aires", "Thursday", "19:00", 75, "2026-11-26",
            ReflectWindowMinutes: 180).Validate(new DateOnly(2026, 11, 1)).Schedule! with
        {
            Cancelled = [new DateTime(2026, 12, 10, 19, 0, 0)],
            Moved = [new SessionMove(new DateTime(2026, 12, 24, 19, 0, 0), new DateTime(2026, 12, 23, 18, 30, 0))],
            Added = [new DateTime(2026, 12, 1, 9, 0, 0)],
        };

        await CommitAsync(circle, circle.NextCommit(facilitator) with { Facilitation = new CircleFacilitation(Schedule: schedule) });
        await CommitAsync(circle, circle.NextCommit(facilitator));

        var loaded = (await Store.LoadAsync(circle.Id, Ct))!.Facilitation!.Schedule!;
        var from = new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero);
        Assert.Equal(SessionCalendar.Upcoming(schedule, from, 5), SessionCalendar.Upcoming(loaded, from, 5));
        Assert.Equal(180, loaded.ReflectWindowMinutes);
        Assert.Equal(["2026-11-26T19:00", "2026-12-01T09:00", "2026-12-24T19:00"],
            SessionCalendar.Upcoming(loaded, from, 3).Select(s => s.Key));
    }

    [Fact]
    public async Task A_rename_and_a_new_invite_code_are_stored_with_the_commit()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var code = InviteCode.New();

        await CommitAsync(circle, circle.NextCommit(facilitator) with { Name = "Thursday", InviteCode = code });

        var loaded = await Store.LoadAsync(circle.Id, Ct);
        Assert.Equal(("Thursday", code), (loaded!.Name, loaded.InviteCode));
        Assert.Equal(circle.Id, await fixture.Directory.FindByInviteCodeAsync(code, Ct));
    }

    [Fact]
    public async Task History_applies_the_audience_rule_with_the_stored_role()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var author = Person("Ada");
        var other = Person("Bo");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(author);
        await circle.JoinAsync(other);
        var forCircle = await circle.CheckInAsync(author, Visibility.Circle);
        var forFacilitators = await circle.CheckInAsync(author, Visibility.Facilitators);
        var privately = await circle.CheckInAsync(author, Visibility.Private);
        var answerToOther = await circle.AnswerAsync(author, other.MemberId, Visibility.Private);
        Guid[] written = [forCircle.EventId, forFacilitators.EventId, privately.EventId, answerToOther.EventId];

        async Task<Guid[]> Seen(string viewerId) =>
            (await History.ReadVisibleAsync(circle.Id, viewerId, null, null, ct: Ct)).Select(e => e.EventId).Where(written.Contains).ToArray();

        Assert.Equal([forCircle.EventId, forFacilitators.EventId], await Seen(facilitator.MemberId));
        Assert.Equal(written, await Seen(author.MemberId));
        Assert.Equal([forCircle.EventId, answerToOther.EventId], await Seen(other.MemberId));
        Assert.Empty(await Seen("outsider"));
    }

    [Fact]
    public async Task History_reads_from_an_instant_and_by_type()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var first = await circle.CheckInAsync(facilitator);
        var second = await circle.CheckInAsync(facilitator);

        var since = await History.ReadVisibleAsync(circle.Id, facilitator.MemberId, second.At, null, ct: Ct);
        var checkIns = await History.ReadVisibleAsync(circle.Id, facilitator.MemberId, null, [EventTypes.CheckIn], ct: Ct);

        Assert.Equal([second.EventId], since.Select(e => e.EventId));
        Assert.Equal([first.EventId, second.EventId], checkIns.Select(e => e.EventId));
    }

    [Fact]
    public async Task Last_heard_from_counts_only_what_the_viewer_may_see()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var ada = Person("Ada");
        var bo = Person("Bo");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(ada);
        await circle.JoinAsync(bo);
        var adaShared = await circle.CheckInAsync(ada, Visibility.Circle);
        await circle.CheckInAsync(ada, Visibility.Private);
        var boToFacilitators = await circle.CheckInAsync(bo, Visibility.Facilitators);

        var byFacilitator = await History.LastVisibleByAuthorAsync(circle.Id, facilitator.MemberId, [EventTypes.CheckIn], ct: Ct);
        var byAda = await History.LastVisibleByAuthorAsync(circle.Id, ada.MemberId, [EventTypes.CheckIn], ct: Ct);

        Assert.Equal(adaShared.At, byFacilitator[ada.MemberId]);
        Assert.Equal(boToFacilitators.At, byFacilitator[bo.MemberId]);
        Assert.False(byAda.ContainsKey(bo.MemberId));
        Assert.Empty(await History.LastVisibleByAuthorAsync(circle.Id, "outsider", [EventTypes.CheckIn], ct: Ct));
    }

    [Fact]
    public async Task Shared_only_leaves_out_private_entries_even_the_viewers_own()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var shared = await circle.CheckInAsync(facilitator, Visibility.Facilitators);
        await circle.CheckInAsync(facilitator, Visibility.Private);

        var read = await History.ReadVisibleAsync(circle.Id, facilitator.MemberId, null, [EventTypes.CheckIn], sharedOnly: true, ct: Ct);
        var last = await History.LastVisibleByAuthorAsync(circle.Id, facilitator.MemberId, [EventTypes.CheckIn], sharedOnly: true, ct: Ct);

        Assert.Equal([shared.EventId], read.Select(e => e.EventId));
        Assert.Equal(shared.At, last[facilitator.MemberId]);
    }
}
