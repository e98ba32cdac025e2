using BetweenSessions.Groups.Grains.Commitments;
using BetweenSessions.Groups.Grains.Settings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using Orleans.Runtime;

namespace BetweenSessions.Groups.Data.Tests;

/// <summary>
/// A SQLite file the version before Orleans (cc57b4b) wrote through its own EfGrainStorage and EfReminderTable
/// (Fixtures/before-orleans.db): a commitment, one person's settings, a cleared state, a daily reminder fired twice
/// and two one-shot reminders.
/// </summary>
public sealed class SqliteUpgradeFromHomeMadeRuntimeTests() : UpgradeFromHomeMadeRuntimeContract(new SqliteFixture
{
    CopyOf = Path.Combine(AppContext.BaseDirectory, "Fixtures", "before-orleans.db"),
});

/// <summary>The same rows on PostgreSQL, written with SQL into a database migrated only as far as that version.</summary>
public sealed class PostgresUpgradeFromHomeMadeRuntimeTests() : UpgradeFromHomeMadeRuntimeContract(new PostgresFixture
{
    BeforeStart = async db =>
    {
        await db.GetService<IMigrator>().MigrateAsync("Reminders");
        // A plain command: EF would read the JSON's braces as format placeholders.
        await db.Database.OpenConnectionAsync();
        await using var insert = db.Database.GetDbConnection().CreateCommand();
        insert.CommandText = """
            INSERT INTO "GrainState" ("StateName", "GrainType", "GrainKey", "Json", "Version") VALUES
            ('CommitmentGrain', 'CommitmentGrain', '3f2504e0-4f89-41d3-9a0c-0305e82c3301', '{"circleId":"9b2d4c1e-7a55-4e0b-8f31-2c6d0e4a9b77","ownerId":"member-ana","practice":"Ten minutes of breathing","cue":"After the morning coffee","size":"small","cueTime":"07:30","visibility":0,"coPractitionerIds":["member-ben"],"madeAt":"2026-11-20T18:05:00+00:00"}', 2),
            ('MemberSettingsGrain', 'MemberSettingsGrain', 'member-ana', '{"lighterWeek":true,"quietFrom":"22:00","quietTo":"07:00","timeZoneId":"Europe/Berlin","pauseAllNudges":false,"saved":true,"emailNudges":true}', 1),
            ('MemberSettingsGrain', 'MemberSettingsGrain', 'member-gone', NULL, 2);
            INSERT INTO "Reminders" ("GrainType", "GrainKey", "Name", "FirstTick", "PeriodMs", "NextDue", "ETag") VALUES
            ('CueReminderGrain', 'member-ana', 'cue:3f2504e0-4f89-41d3-9a0c-0305e82c3301', '2026-12-01T06:30:00Z', 86400000, '2026-12-03T06:30:00Z', '06f847d62b79423c9824a8fb79b9f1fa'),
            ('CircleGrain', '9b2d4c1e-7a55-4e0b-8f31-2c6d0e4a9b77', 'session-ends', '2026-12-09T19:30:00.25Z', -1, '2026-12-09T19:30:00.25Z', '854ef25c9edc403f925590d75a619279'),
            ('NudgeGrain', 'member-ben', 'deferred', '2026-12-04T07:00:00Z', -1, '2026-12-04T07:00:00Z', '70515e5ad0be4ad885a5e51a7bf3b9c0');
            """;
        await insert.ExecuteNonQueryAsync();
    },
});

/// <summary>
/// A database written before Orleans keeps working: grain state reads through Orleans' grain ids, every reminder is
/// in Orleans' table (right grain id and hash, first tick = the tick not yet fired, one-shots every minute), nothing
/// is lost, and starting again changes nothing.
/// </summary>
public abstract class UpgradeFromHomeMadeRuntimeContract(DatabaseFixture fixture) : IAsyncLifetime
{
    private static readonly Guid CommitmentId = Guid.Parse("3f2504e0-4f89-41d3-9a0c-0305e82c3301");
    private static readonly Guid CircleId = Guid.Parse("9b2d4c1e-7a55-4e0b-8f31-2c6d0e4a9b77");

    public ValueTask InitializeAsync() => fixture.InitializeAsync();

    public async ValueTask DisposeAsync()
    {
        await fixture.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    private static GrainId GuidGrain(string type, Guid key) => GrainId.Create(GrainType.Create(type), GrainIdKeyExtensions.CreateGuidKey(key));

    private sealed class Stored<T> : IGrainState<T> where T : new()
    {
        public T State { get; set; } = new();
        public string? ETag { get; set; }
        public bool RecordExists { get; set; }
    }

    [Fact]
    public async Task Grain_state_reads_through_Orleans_grain_ids()
    {
        var storage = fixture.OrleansStorage;
        var commitment = new Stored<CommitmentState>();
        await storage.ReadStateAsync("CommitmentGrain", GuidGrain("commitment", CommitmentId), commitment);
        Assert.True(commitment.RecordExists);
        Assert.Equal("2", commitment.ETag);
        Assert.Equal(CircleId, commitment.State.CircleId);
        Assert.Equal("member-ana", commitment.State.OwnerId);
        Assert.Equal("Ten minutes of breathing", commitment.State.Practice);
        Assert.Equal("07:30", commitment.State.CueTime);
        Assert.Equal(["member-ben"], commitment.State.CoPractitionerIds);
        Assert.Equal(new DateTimeOffset(2026, 11, 20, 18, 5, 0, TimeSpan.Zero), commitment.State.MadeAt);

        var settings = new Stored<MemberSettingsState>();
        await storage.ReadStateAsync("MemberSettingsGrain", GrainId.Create("membersettings", "member-ana"), settings);
        Assert.True(settings.RecordExists);
        Assert.Equal("1", settings.ETag);
        Assert.True(settings.State.LighterWeek);
        Assert.Equal("Europe/Berlin", settings.State.TimeZoneId);
        Assert.Equal(("22:00", "07:00"), (settings.State.QuietFrom, settings.State.QuietTo));
        Assert.True(settings.State.EmailNudges);

        // Written on through Orleans: the version goes on from the old one.
        settings.State.PauseAllNudges = true;
        await storage.WriteStateAsync("MemberSettingsGrain", GrainId.Create("membersettings", "member-ana"), settings);
        Assert.Equal("2", settings.ETag);

        // A state cleared before the upgrade is still cleared, and its version is not issued again.
        var gone = new Stored<MemberSettingsState>();
        await storage.ReadStateAsync("MemberSettingsGrain", GrainId.Create("membersettings", "member-gone"), gone);
        Assert.False(gone.RecordExists);
        Assert.Equal("2", gone.ETag);

        await using var db = fixture.NewContext();
        var ct = TestContext.Current.CancellationToken;
        Assert.Equal(3, await db.GrainState.CountAsync(ct));
        Assert.DoesNotContain(await db.GrainState.Select(g => g.GrainType).ToListAsync(ct), t => t.EndsWith("Grain", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_reminder_is_in_Orleans_table_and_none_is_lost()
    {
        var table = fixture.OrleansReminders;
        var cue = GrainId.Create("cuereminder", "member-ana");
        var circle = GuidGrain("circle", CircleId);
        var nudge = GrainId.Create("nudge", "member-ben");
        Assert.Equal("circle/9b2d4c1e7a554e0b8f312c6d0e4a9b77", circle.ToString());

        var daily = Assert.Single((await table.ReadRows(cue)).Reminders);
        Assert.Equal("cue:3f2504e0-4f89-41d3-9a0c-0305e82c3301", daily.ReminderName);
        Assert.Equal(new DateTime(2026, 12, 3, 6, 30, 0, DateTimeKind.Utc), daily.StartAt);
        Assert.Equal(TimeSpan.FromDays(1), daily.Period);

        var sessionEnds = await table.ReadRow(circle, "session-ends");
        Assert.NotNull(sessionEnds);
        Assert.Equal(new DateTime(2026, 12, 9, 19, 30, 0, 250, DateTimeKind.Utc), sessionEnds.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(1), sessionEnds.Period);

        var deferred = await table.ReadRow(nudge, "deferred");
        Assert.NotNull(deferred);
        Assert.Equal(new DateTime(2026, 12, 4, 7, 0, 0, DateTimeKind.Utc), deferred.StartAt);
        Assert.Equal(TimeSpan.FromMinutes(1), deferred.Period);

        // Each is found by the silo whose ring range holds its grain's hash.
        foreach (var id in new[] { cue, circle, nudge })
        {
            var hash = id.GetUniformHashCode();
            Assert.Contains((await table.ReadRows(hash - 1, hash)).Reminders, r => r.GrainId == id);
            Assert.DoesNotContain((await table.ReadRows(hash, hash + 1)).Reminders, r => r.GrainId == id);
        }

        var ct = TestContext.Current.CancellationToken;
        await using (var db = fixture.NewContext())
        {
            Assert.Equal(0, await db.LegacyReminders.CountAsync(ct));
            Assert.Equal(3, await db.Reminders.CountAsync(ct));
        }

        // Start-up again: nothing moves twice, nothing changes.
        var etags = (await table.ReadRows(0, 0)).Reminders.Select(r => r.ETag).Order().ToList();
        await fixture.Services.MigrateGroupsDatabaseAsync(ct);
        Assert.Equal(etags, (await table.ReadRows(0, 0)).Reminders.Select(r => r.ETag).Order().ToList());
    }
}
