using Orleans.Storage;
using BetweenSessions.Groups.Domain;
using BetweenSessions.Groups.Contracts.Circles;
using System.Data.Common;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using static BetweenSessions.Groups.Data.Tests.CircleWriter;

namespace BetweenSessions.Groups.Data.Tests;

public sealed class SqliteStoreTests(SqliteFixture fixture) : StoreContract(fixture), IClassFixture<SqliteFixture>
{
    [Fact]
    public async Task The_database_file_is_in_write_ahead_log_mode()
    {
        await using var db = fixture.NewContext();
        var mode = await db.Database.SqlQueryRaw<string>("SELECT journal_mode AS Value FROM pragma_journal_mode").SingleAsync(Ct);
        Assert.Equal("wal", mode);
    }
}

public sealed class PostgresStoreTests(PostgresFixture fixture) : StoreContract(fixture), IClassFixture<PostgresFixture>;

/// <summary>What every provider must do; each provider's class runs all of it against a real database.</summary>
public abstract class StoreContract(DatabaseFixture fixture)
{
    protected static CancellationToken Ct => TestContext.Current.CancellationToken;

    private ICircleStore Store => fixture.Store;

    private async Task<CircleWriter> NewCircleAsync(CircleMember facilitator, string name = "Tuesday evening circle") =>
        await new CircleWriter(Store, name).CreateAsync(facilitator);

    [Fact]
    public async Task Migrations_apply_to_an_empty_database()
    {
        await using var db = fixture.NewContext();
        var applied = await db.Database.GetAppliedMigrationsAsync(Ct);
        Assert.NotEmpty(applied);
        Assert.Equal(db.Database.GetMigrations(), applied);
        Assert.Empty(await db.Database.GetPendingMigrationsAsync(Ct));
    }

    [Theory]
    [InlineData("Ж")] // any non-Latin script
    [InlineData("\"")] // escaped even by the relaxed encoder
    [InlineData("😊")] // two UTF-16 units each
    public async Task The_largest_entries_a_member_can_write_fit_in_any_script(string letter)
    {
        var member = Person("Ада", CircleRole.Facilitator);
        var circle = await NewCircleAsync(member);
        var answer = string.Concat(Enumerable.Repeat(letter, Domain.Limits.Text / letter.Length));
        var payload = EventPayload.Serialize(new { important = answer, stillWithMe = answer, toNotice = answer });
        var commit = circle.NextCommit(member);
        commit = commit with { Events = [commit.Events[0] with { PayloadJson = payload }] };

        circle.Stored(commit, await Store.CommitAsync(commit, Ct));

        var stored = await Store.FindEventAsync(circle.Id, commit.Events[0].EventId, Ct);
        Assert.Equal(payload, stored?.PayloadJson);
    }

    [Fact]
    public async Task A_commit_loads_back_with_members_roles_and_seq()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("ada");
        var circle = await NewCircleAsync(facilitator);
        Assert.Equal(1, circle.Version);
        await circle.JoinAsync(member);
        await circle.CheckInAsync(member);

        var loaded = await Store.LoadAsync(circle.Id, Ct);

        Assert.NotNull(loaded);
        Assert.Equal(circle.Name, loaded.Name);
        Assert.Equal(circle.InviteCode, loaded.InviteCode);
        Assert.Equal(CircleWriter.Created, loaded.CreatedAt);
        Assert.Equal(3, loaded.LastSeq);
        Assert.Equal(3, loaded.Version);
        Assert.Equal([member, facilitator], loaded.Members);
    }

    [Fact]
    public async Task An_unknown_circle_loads_as_null() =>
        Assert.Null(await Store.LoadAsync(Guid.NewGuid(), Ct));

    [Fact]
    public async Task A_stale_version_conflicts_and_writes_nothing()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var stale = circle.NextCommit(facilitator, upsert: [Person("Late joiner")]);
        await circle.CheckInAsync(facilitator);

        var conflict = await Assert.ThrowsAsync<InconsistentStateException>(() => Store.CommitAsync(stale, Ct));

        Assert.Equal("2", conflict.StoredEtag);
        Assert.Equal("1", conflict.CurrentEtag);
        var loaded = await Store.LoadAsync(circle.Id, Ct);
        Assert.Equal(2, loaded!.Version);
        Assert.Equal([facilitator], loaded.Members);
        var events = await Store.ReadEventsAsync(circle.Id, new EventViewer(facilitator.MemberId, CircleRole.Facilitator), 0, 10, Ct);
        Assert.Equal([1L, 2L], events.Select(e => e.Seq));
        Assert.DoesNotContain(events, e => e.EventId == stale.Events[0].EventId);
    }

    [Fact]
    public async Task Creating_a_circle_that_exists_conflicts_and_keeps_the_first()
    {
        var first = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(first);
        var second = circle.CreateCommit(Person("Someone else", CircleRole.Facilitator)) with { Name = "Other" };

        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.CommitAsync(second, Ct));

        var loaded = await Store.LoadAsync(circle.Id, Ct);
        Assert.Equal(circle.Name, loaded!.Name);
        Assert.Equal([first], loaded.Members);
    }

    public enum Viewer { Author, Subject, OtherMember, Facilitator, NonMember, MemberClaimingFacilitator }

    public static TheoryData<Visibility, Viewer, bool> AudienceCases => new()
    {
        { Visibility.Circle, Viewer.Author, true },
        { Visibility.Circle, Viewer.Subject, true },
        { Visibility.Circle, Viewer.OtherMember, true },
        { Visibility.Circle, Viewer.Facilitator, true },
        { Visibility.Circle, Viewer.NonMember, false },
        { Visibility.Circle, Viewer.MemberClaimingFacilitator, true },
        { Visibility.Facilitators, Viewer.Author, true },
        { Visibility.Facilitators, Viewer.Subject, true },
        { Visibility.Facilitators, Viewer.OtherMember, false },
        { Visibility.Facilitators, Viewer.Facilitator, true },
        { Visibility.Facilitators, Viewer.NonMember, false },
        { Visibility.Facilitators, Viewer.MemberClaimingFacilitator, false },
        { Visibility.Private, Viewer.Author, true },
        { Visibility.Private, Viewer.Subject, true },
        { Visibility.Private, Viewer.OtherMember, false },
        { Visibility.Private, Viewer.Facilitator, false },
        { Visibility.Private, Viewer.NonMember, false },
        { Visibility.Private, Viewer.MemberClaimingFacilitator, false },
    };

    [Theory]
    [MemberData(nameof(AudienceCases), MemberType = typeof(StoreContract))]
    public async Task The_audience_rule_is_applied_when_reading(Visibility visibility, Viewer viewer, bool visible)
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var author = Person("Ada");
        var subject = Person("Cy");
        var other = Person("Bo");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(author);
        await circle.JoinAsync(subject);
        await circle.JoinAsync(other);
        // Ada answers Cy, who sees it whatever its visibility; Bo is a bystander.
        var entry = await circle.AnswerAsync(author, subject.MemberId, visibility);
        var asking = viewer switch
        {
            Viewer.Author => new EventViewer(author.MemberId, CircleRole.Member),
            Viewer.Subject => new EventViewer(subject.MemberId, CircleRole.Member),
            Viewer.OtherMember => new EventViewer(other.MemberId, CircleRole.Member),
            Viewer.Facilitator => new EventViewer(facilitator.MemberId, CircleRole.Facilitator),
            Viewer.NonMember => new EventViewer(Person("Stranger").MemberId, CircleRole.Facilitator),
            _ => new EventViewer(other.MemberId, CircleRole.Facilitator),
        };

        var events = await Store.ReadEventsAsync(circle.Id, asking, 0, 50, Ct);

        Assert.Equal(visible, events.Any(e => e.EventId == entry.EventId));
        if (visible) Assert.Equal(entry, events.Single(e => e.EventId == entry.EventId));
        if (viewer == Viewer.NonMember) Assert.Empty(events);
        // Where the caller's word and the database agree, the table above is the domain's own rule.
        if (viewer is Viewer.Author or Viewer.Subject or Viewer.OtherMember or Viewer.Facilitator)
            Assert.Equal(Audience.CanSee(visibility, author.MemberId, subject.MemberId, asking.MemberId, asking.Role), visible);
    }

    [Theory]
    [InlineData(Visibility.Private)]
    [InlineData(Visibility.Facilitators)]
    public async Task An_entry_addressed_to_someone_who_is_not_a_member_leaks_to_no_non_member(Visibility visibility)
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var author = Person("Ada");
        var other = Person("Bo");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(author);
        await circle.JoinAsync(other);
        var outsider = Person("Gone");
        var entry = await circle.AnswerAsync(author, outsider.MemberId, visibility);

        // The subject rule never overrides membership: not the outsider it names, nor any other stranger.
        foreach (var role in new[] { CircleRole.Member, CircleRole.Facilitator })
        {
            Assert.Empty(await Store.ReadEventsAsync(circle.Id, new EventViewer(outsider.MemberId, role), 0, 50, Ct));
            Assert.Empty(await Store.ReadEventsAsync(circle.Id, new EventViewer(Person("Stranger").MemberId, role), 0, 50, Ct));
        }
        Assert.Contains(entry, await Store.ReadEventsAsync(circle.Id, new EventViewer(author.MemberId, CircleRole.Member), 0, 50, Ct));
        Assert.DoesNotContain(await Store.ReadEventsAsync(circle.Id, new EventViewer(other.MemberId, CircleRole.Member), 0, 50, Ct),
            e => e.EventId == entry.EventId);
        Assert.Equal(visibility == Visibility.Facilitators,
            (await Store.ReadEventsAsync(circle.Id, new EventViewer(facilitator.MemberId, CircleRole.Facilitator), 0, 50, Ct))
                .Any(e => e.EventId == entry.EventId));
    }

    [Fact]
    public async Task An_event_is_found_by_id_within_its_own_circle_whoever_may_see_it()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        var checkIn = await circle.CheckInAsync(member, Visibility.Private, "phone-7");
        var answer = await circle.AnswerAsync(facilitator, member.MemberId, Visibility.Facilitators);
        var other = await NewCircleAsync(facilitator);
        var elsewhere = await other.CheckInAsync(facilitator);

        Assert.Equal(checkIn, await Store.FindEventAsync(circle.Id, checkIn.EventId, Ct));
        Assert.Equal(answer, await Store.FindEventAsync(circle.Id, answer.EventId, Ct));
        Assert.Equal(member.MemberId, (await Store.FindEventAsync(circle.Id, answer.EventId, Ct))!.SubjectMemberId);
        Assert.Equal(elsewhere, await Store.FindEventAsync(other.Id, elsewhere.EventId, Ct));
        Assert.Null(await Store.FindEventAsync(other.Id, checkIn.EventId, Ct));
        Assert.Null(await Store.FindEventAsync(circle.Id, elsewhere.EventId, Ct));
        Assert.Null(await Store.FindEventAsync(circle.Id, Guid.NewGuid(), Ct));
        Assert.Null(await Store.FindEventAsync(Guid.NewGuid(), checkIn.EventId, Ct));
    }

    [Fact]
    public async Task The_open_round_is_stored_with_the_circle_and_every_commit_restates_it()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        Assert.Null((await Store.LoadAsync(circle.Id, Ct))!.OpenRound);
        // The longest prompt allowed, with characters that take more than one byte.
        var prompt = ("What would you like the group to hold for you this week? é ✓ " + new string('·', Limits.RoundPrompt))[..Limits.RoundPrompt];
        var round = new OpenRound(Guid.NewGuid(), prompt, CircleWriter.Created.AddHours(1), facilitator.MemberId);

        await circle.StartRoundAsync(facilitator, round);
        Assert.Equal(round, (await Store.LoadAsync(circle.Id, Ct))!.OpenRound);
        await circle.JoinAsync(member);
        await circle.CheckInAsync(member);
        var loaded = await Store.LoadAsync(circle.Id, Ct);
        Assert.Equal((round, 4L), (loaded!.OpenRound, loaded.Version));

        // A stale commit that would close it writes nothing.
        var stale = circle.NextCommit(facilitator, expectedVersion: circle.Version - 1) with { OpenRound = null };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.CommitAsync(stale, Ct));
        Assert.Equal(round, (await Store.LoadAsync(circle.Id, Ct))!.OpenRound);

        await circle.EndRoundAsync(facilitator);
        Assert.Null((await Store.LoadAsync(circle.Id, Ct))!.OpenRound);

        var next = round with { RoundId = Guid.NewGuid(), Prompt = "One word for today", StartedBy = member.MemberId };
        await circle.StartRoundAsync(facilitator, next);
        Assert.Equal(next, (await Store.LoadAsync(circle.Id, Ct))!.OpenRound);
    }

    [Fact]
    public async Task A_circle_can_be_created_with_a_round_open()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var round = new OpenRound(Guid.NewGuid(), "How did you arrive?", CircleWriter.Created, facilitator.MemberId);

        var circle = await new CircleWriter(Store, "Opening circle").CreateAsync(facilitator, round);

        Assert.Equal(round, (await Store.LoadAsync(circle.Id, Ct))!.OpenRound);
    }

    [Fact]
    public async Task A_half_stated_open_round_is_refused_by_the_database()
    {
        var circle = await NewCircleAsync(Person("Robin", CircleRole.Facilitator));
        await using var db = fixture.NewContext();

        await Assert.ThrowsAnyAsync<DbException>(() => db.Circles.Where(c => c.Id == circle.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(c => c.OpenRoundId, Guid.NewGuid()), Ct));

        Assert.Null((await Store.LoadAsync(circle.Id, Ct))!.OpenRound);
    }

    [Fact]
    public async Task Migrating_down_to_the_first_migration_and_up_again_keeps_circles_members_and_events()
    {
        await using var fresh = fixture.CreateAnother();
        await fresh.InitializeAsync();
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await new CircleWriter(fresh.Store, "Kept").CreateAsync(facilitator);
        await circle.JoinAsync(member);
        var entry = await circle.CheckInAsync(member);

        await using (var db = fresh.NewContext())
        {
            var migrator = db.GetService<IMigrator>();
            await migrator.MigrateAsync(db.Database.GetMigrations().First(), Ct);
            await migrator.MigrateAsync(cancellationToken: Ct);
        }

        // SQLite rebuilds the circles table to add the round's check constraint; that must not cascade.
        var loaded = await fresh.Store.LoadAsync(circle.Id, Ct);
        Assert.Equal([member, facilitator], loaded!.Members);
        Assert.Equal((3L, null), (loaded.Version, loaded.OpenRound));
        Assert.Equal(entry, await fresh.Store.FindEventAsync(circle.Id, entry.EventId, Ct));
        var events = await fresh.Store.ReadEventsAsync(circle.Id, new EventViewer(member.MemberId, CircleRole.Member), 0, 10, Ct);
        Assert.Equal([1L, 2L, 3L], events.Select(e => e.Seq));
    }

    [Fact]
    public async Task Reading_returns_events_after_a_seq_oldest_first_up_to_max()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        var written = new List<CircleEvent>();
        for (var i = 0; i < 6; i++) written.Add(await circle.CheckInAsync(facilitator));
        var viewer = new EventViewer(facilitator.MemberId, CircleRole.Facilitator);

        var page = await Store.ReadEventsAsync(circle.Id, viewer, 3, 2, Ct);

        Assert.Equal([4L, 5L], page.Select(e => e.Seq));
        Assert.Equal(written[2], page[0]);
        Assert.Equal(written.Select(e => e.EventId), (await Store.ReadEventsAsync(circle.Id, viewer, 1, 100, Ct)).Select(e => e.EventId));
        Assert.Empty(await Store.ReadEventsAsync(circle.Id, viewer, 7, 100, Ct));
    }

    [Fact]
    public async Task A_client_event_id_finds_the_stored_receipt_of_that_author_only()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        var entry = await circle.CheckInAsync(member, Visibility.Private, "phone-42");

        Assert.Equal(new EventReceipt(entry.EventId, entry.Seq),
            await Store.FindByClientEventIdAsync(circle.Id, member.MemberId, "phone-42", Ct));
        Assert.Null(await Store.FindByClientEventIdAsync(circle.Id, facilitator.MemberId, "phone-42", Ct));
        Assert.Null(await Store.FindByClientEventIdAsync(circle.Id, member.MemberId, "phone-43", Ct));
        Assert.Null(await Store.FindByClientEventIdAsync(Guid.NewGuid(), member.MemberId, "phone-42", Ct));
    }

    [Fact]
    public async Task An_entry_committed_with_its_resend_check_is_stored_once_and_a_resend_gets_the_first_receipt()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);

        var first = circle.NextCommit(member, clientEventId: "phone-7");
        var stored = await Store.CommitEntriesAsync(first, Ct);
        Assert.Null(stored.Earlier);
        Assert.Equal(circle.Version + 1, stored.Version);
        circle.Stored(first, stored.Version);

        // The same entry again, as the grain would build it after a lost answer: nothing is written.
        var resend = circle.NextCommit(member, clientEventId: "phone-7");
        var again = await Store.CommitEntriesAsync(resend, Ct);
        Assert.Equal([new EventReceipt(first.Events[0].EventId, first.LastSeq)], again.Earlier);
        Assert.Equal(circle.Version, again.Version);
        Assert.Equal(circle.Version, (await Store.LoadAsync(circle.Id, Ct))!.Version);
        var log = await Store.ReadEventsAsync(circle.Id, new EventViewer(member.MemberId, CircleRole.Member), 0, 100, Ct);
        Assert.Single(log, e => e.ClientEventId == "phone-7");

        // Someone else's entry with the same client id is theirs, and is stored.
        var theirs = circle.NextCommit(facilitator, clientEventId: "phone-7");
        var other = await Store.CommitEntriesAsync(theirs, Ct);
        Assert.Null(other.Earlier);
        Assert.Equal(circle.Version + 1, other.Version);
        circle.Stored(theirs, other.Version);

        // A new entry from a stale version is a conflict, not a resend; nothing is written.
        var stale = circle.NextCommit(member, clientEventId: "phone-8", expectedVersion: circle.Version - 1);
        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.CommitEntriesAsync(stale, Ct));
        Assert.Null(await Store.FindByClientEventIdAsync(circle.Id, member.MemberId, "phone-8", Ct));
        // And a resend of an entry its author has since erased finds the tombstone, so the text cannot come back.
        await Store.EraseAuthoredAsync(circle.Id, member.MemberId, Ct);
        var afterErasure = await Store.CommitEntriesAsync(circle.NextCommit(member, clientEventId: "phone-7"), Ct);
        Assert.Equal(first.LastSeq, Assert.Single(afterErasure.Earlier!)?.Seq);
    }

    [Fact]
    public async Task Entries_gathered_into_one_commit_are_stored_together_unless_one_was_stored_before()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        var earlier = await circle.CheckInAsync(member, clientEventId: "phone-1");

        // A resend among new entries: nothing at all is written, and only the resend has a receipt.
        var withResend = circle.NextEntries((facilitator, "laptop-1"), (member, "phone-1"), (member, null));
        var refused = await Store.CommitEntriesAsync(withResend, Ct);
        Assert.Equal([null, new EventReceipt(earlier.EventId, earlier.Seq), null], refused.Earlier);
        Assert.Equal(circle.Version, refused.Version);
        Assert.Equal(circle.LastSeq, (await Store.LoadAsync(circle.Id, Ct))!.LastSeq);

        // Without it, the others are stored in one step, in order, with one version bump.
        var gathered = circle.NextEntries((facilitator, "laptop-1"), (member, null), (member, "phone-2"));
        var stored = await Store.CommitEntriesAsync(gathered, Ct);
        Assert.Null(stored.Earlier);
        Assert.Equal(circle.Version + 1, stored.Version);
        circle.Stored(gathered, stored.Version);
        var log = await Store.ReadEventsAsync(circle.Id, new EventViewer(member.MemberId, CircleRole.Member), earlier.Seq, 100, Ct);
        Assert.Equal(gathered.Events.Select(e => (e.Seq, e.EventId)), log.Select(e => (e.Seq, e.EventId)));
        Assert.Equal(new EventReceipt(gathered.Events[2].EventId, gathered.Events[2].Seq),
            await Store.FindByClientEventIdAsync(circle.Id, member.MemberId, "phone-2", Ct));

        // From a stale version it is a conflict, and nothing is written.
        var stale = circle.NextEntries((member, "phone-3"), (facilitator, "laptop-2")) with { ExpectedVersion = circle.Version - 1 };
        await Assert.ThrowsAsync<InconsistentStateException>(() => Store.CommitEntriesAsync(stale, Ct));
        Assert.Null(await Store.FindByClientEventIdAsync(circle.Id, member.MemberId, "phone-3", Ct));
    }

    [Fact]
    public async Task A_client_event_id_is_stored_once_per_author()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        await circle.CheckInAsync(member, clientEventId: "phone-1");
        await circle.CheckInAsync(facilitator, clientEventId: "phone-1");

        var resend = circle.NextCommit(member, clientEventId: "phone-1");
        await Assert.ThrowsAsync<DbUpdateException>(() => Store.CommitAsync(resend, Ct));

        Assert.Equal(circle.Version, (await Store.LoadAsync(circle.Id, Ct))!.Version);
    }

    [Fact]
    public async Task Seq_is_unique_within_a_circle_and_a_failed_commit_writes_nothing()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var circle = await NewCircleAsync(facilitator);
        await circle.CheckInAsync(facilitator);
        var other = await NewCircleAsync(facilitator);
        await other.CheckInAsync(facilitator);

        var duplicate = circle.NextCommit(facilitator, seq: 2, upsert: [Person("Ghost")]);
        await Assert.ThrowsAsync<DbUpdateException>(() => Store.CommitAsync(duplicate, Ct));

        var loaded = await Store.LoadAsync(circle.Id, Ct);
        Assert.Equal(circle.Version, loaded!.Version);
        Assert.Equal(2, loaded.LastSeq);
        Assert.Equal([facilitator], loaded.Members);
    }

    [Fact]
    public async Task An_invite_code_finds_its_circle()
    {
        var circle = await NewCircleAsync(Person("Robin", CircleRole.Facilitator));

        Assert.Equal(circle.Id, await fixture.Directory.FindByInviteCodeAsync(circle.InviteCode, Ct));
        Assert.Null(await fixture.Directory.FindByInviteCodeAsync("ZZZZ2222", Ct));
    }

    [Fact]
    public async Task A_members_circles_carry_their_role_and_are_ordered_by_name()
    {
        var person = Person("Ada");
        var someoneElse = Person("Robin", CircleRole.Facilitator);
        var gamma = await NewCircleAsync(person with { Role = CircleRole.Facilitator }, "Gamma");
        var alpha = await NewCircleAsync(someoneElse, "alpha");
        await alpha.JoinAsync(person);
        var beta = await NewCircleAsync(someoneElse, "Beta");
        await beta.JoinAsync(person);
        for (var i = 0; i < 3; i++) await beta.CheckInAsync(person);
        await NewCircleAsync(someoneElse, "Not mine");

        var mine = await fixture.Directory.ListForMemberAsync(person.MemberId, Ct);

        Assert.Equal(
            [(alpha.Id, "alpha", CircleRole.Member), (beta.Id, "Beta", CircleRole.Member), (gamma.Id, "Gamma", CircleRole.Facilitator)],
            mine.Select(c => (c.CircleId, c.Name, c.Role)));
        Assert.All(mine, c => Assert.Equal(person.JoinedAt, c.JoinedAt));
        Assert.Empty(await fixture.Directory.ListForMemberAsync("nobody", Ct));
    }

    [Fact]
    public async Task Upserting_a_member_changes_role_and_name_and_keeps_the_join_date()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var member = Person("Ada");
        var circle = await NewCircleAsync(facilitator);
        await circle.JoinAsync(member);
        var promoted = member with { DisplayName = "Ada L.", Role = CircleRole.Facilitator, JoinedAt = member.JoinedAt.AddDays(9) };
        var commit = circle.NextCommit(facilitator, upsert: [promoted]);
        circle.Stored(commit, await Store.CommitAsync(commit, Ct));

        var loaded = await Store.LoadAsync(circle.Id, Ct);

        Assert.Contains(promoted with { JoinedAt = member.JoinedAt }, loaded!.Members);
        Assert.Equal(2, loaded.Members.Count);
    }

    [Fact]
    public async Task Many_concurrent_committers_all_succeed_and_every_acknowledged_event_is_stored()
    {
        const int circles = 50, commitsPerCircle = 20, grains = 20, writesPerGrain = 10;
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<CircleEvent>();
        var writers = Enumerable.Range(0, circles).Select(i => Task.Run(async () =>
        {
            var circle = await NewCircleAsync(facilitator, $"Circle {i}");
            for (var c = 1; c < commitsPerCircle; c++) acknowledged.Add(await circle.CheckInAsync(facilitator));
            return circle;
        }, Ct)).ToList();
        var grainWriters = Enumerable.Range(0, grains).Select(i => Task.Run(async () =>
        {
            var grain = Orleans.Runtime.GrainId.Create("load", Guid.NewGuid().ToString("N"));
            var state = new Orleans.GrainState<Note>(new Note());
            for (var w = 1; w <= writesPerGrain; w++)
            {
                state.State!.Count = w;
                await fixture.OrleansStorage.WriteStateAsync("Note", grain, state);
            }
            var stored = new Orleans.GrainState<Note>(new Note());
            await fixture.OrleansStorage.ReadStateAsync("Note", grain, stored);
            Assert.Equal((writesPerGrain, state.ETag), (stored.State!.Count, stored.ETag));
        }, Ct)).ToList();
        var allWrites = Task.WhenAll(writers.Cast<Task>().Concat(grainWriters));
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(async () =>
        {
            while (!allWrites.IsCompleted)
            {
                await fixture.Directory.ListForMemberAsync(facilitator.MemberId, Ct);
                foreach (var circle in writers.Where(w => w.IsCompletedSuccessfully).Select(w => w.Result).Take(5))
                    await Store.ReadEventsAsync(circle.Id, new EventViewer(facilitator.MemberId, CircleRole.Facilitator), 0, 50, Ct);
            }
        }, Ct)).ToList();

        await allWrites;
        await Task.WhenAll(readers);

        var viewer = new EventViewer(facilitator.MemberId, CircleRole.Facilitator);
        foreach (var circle in writers.Select(w => w.Result))
        {
            var loaded = await Store.LoadAsync(circle.Id, Ct);
            Assert.Equal((commitsPerCircle, (long)commitsPerCircle), (loaded!.Version, loaded.LastSeq));
            var events = await Store.ReadEventsAsync(circle.Id, viewer, 0, 100, Ct);
            Assert.Equal(Enumerable.Range(1, commitsPerCircle).Select(s => (long)s), events.Select(e => e.Seq));
        }
        Assert.Equal(circles * (commitsPerCircle - 1), acknowledged.Count);
        await using var db = fixture.NewContext();
        var ids = acknowledged.Select(e => e.EventId).ToList();
        Assert.Equal(ids.Count, await db.CircleEvents.CountAsync(e => ids.Contains(e.EventId), Ct));
    }

    [Fact]
    public async Task A_conflicting_commit_in_a_batch_fails_alone()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var contested = await NewCircleAsync(facilitator);
        var stale = contested.NextCommit(facilitator);
        await contested.CheckInAsync(facilitator);
        var fresh = Enumerable.Range(0, 10).Select(i => new CircleWriter(Store, $"Fresh {i}")).ToList();

        Task<long>[] good;
        Task<long> conflicting;
        await using (await fixture.HoldWritesAsync())
        {
            var first = fresh.Take(5).Select(c => Store.CommitAsync(c.CreateCommit(facilitator), Ct)).ToList();
            conflicting = Store.CommitAsync(stale, Ct);
            good = [.. first, .. fresh.Skip(5).Select(c => Store.CommitAsync(c.CreateCommit(facilitator), Ct))];
        }

        await Assert.ThrowsAsync<InconsistentStateException>(() => conflicting);
        Assert.All(await Task.WhenAll(good), version => Assert.Equal(1, version));
        foreach (var circle in fresh) Assert.NotNull(await Store.LoadAsync(circle.Id, Ct));
        Assert.Equal(2, (await Store.LoadAsync(contested.Id, Ct))!.Version);
    }

    [Fact]
    public async Task A_commit_that_breaks_a_constraint_in_a_batch_fails_alone()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var broken = await NewCircleAsync(facilitator);
        var existing = await NewCircleAsync(facilitator);
        var duplicateSeq = broken.NextCommit(facilitator, seq: 1);
        var next = existing.NextCommit(facilitator);
        var fresh = Enumerable.Range(0, 6).Select(i => new CircleWriter(Store, $"Fresh {i}")).ToList();

        Task<long>[] good;
        Task<long> failing;
        await using (await fixture.HoldWritesAsync())
        {
            var first = fresh.Take(3).Select(c => Store.CommitAsync(c.CreateCommit(facilitator), Ct)).ToList();
            failing = Store.CommitAsync(duplicateSeq, Ct);
            good = [.. first, Store.CommitAsync(next, Ct), .. fresh.Skip(3).Select(c => Store.CommitAsync(c.CreateCommit(facilitator), Ct))];
        }

        await Assert.ThrowsAsync<DbUpdateException>(() => failing);
        await Task.WhenAll(good);
        Assert.Equal(1, (await Store.LoadAsync(broken.Id, Ct))!.Version);
        Assert.Equal(2, (await Store.LoadAsync(existing.Id, Ct))!.Version);
        foreach (var circle in fresh) Assert.NotNull(await Store.LoadAsync(circle.Id, Ct));
    }

    [Fact]
    public async Task A_caller_that_gives_up_does_not_hold_up_the_queue()
    {
        var facilitator = Person("Robin", CircleRole.Facilitator);
        var first = new CircleWriter(Store, "First");
        var abandoned = new CircleWriter(Store, "Abandoned");
        using var giveUp = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        Task<long> waiting, cancelled;
        await using (await fixture.HoldWritesAsync())
        {
            waiting = Store.CommitAsync(first.CreateCommit(facilitator), Ct);
            cancelled = Store.CommitAsync(abandoned.CreateCommit(facilitator), giveUp.Token);
            await giveUp.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => cancelled);
        }

        Assert.Equal(1, await waiting);
        var after = await NewCircleAsync(facilitator, "After");
        Assert.NotNull(await Store.LoadAsync(after.Id, Ct));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => Store.CommitAsync(new CircleWriter(Store, "Never").CreateCommit(facilitator), giveUp.Token));
    }

    public sealed class Note
    {
        public string Text { get; set; } = "";
        public int Count { get; set; }
        public DateTimeOffset At { get; set; }
    }
}
