using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Hub;

/// <summary>The app with circle grains collected after one idle second, instead of fifteen minutes.</summary>
public sealed class QuickIdleAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, quick idle collection";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Cluster:GrainCollection:CollectionAge"] = "00:00:01",
        ["Cluster:GrainCollection:CollectionQuantum"] = "00:00:00.200",
    };
}

[CollectionDefinition(QuickIdleAppFixture.Collection)]
public sealed class QuickIdleAppCollection : ICollectionFixture<QuickIdleAppFixture>;

/// <summary>
/// Circles are quiet for long stretches between sessions. Whoever stays connected through the quiet must still get
/// the next check-in live, and nothing stored may be lost when an idle circle is unloaded and loaded again.
/// </summary>
[Collection(QuickIdleAppFixture.Collection)]
public sealed class QuietCircleTests(QuickIdleAppFixture app)
{
    private readonly HubScripts _scripts = new(app);

    [Fact]
    public async Task After_a_quiet_spell_a_check_in_still_reaches_everyone_connected_live()
    {
        var (facilitator, member) = (await app.RegisterAsync("dora"), await app.RegisterAsync("eli"));
        var circle = await facilitator.CircleWithMembersAsync(member);

        var result = await _scripts.RunAsync<QuietSpell>("quiet-circle.mjs",
            new Dictionary<string, TestUser> { ["facilitator"] = facilitator, ["member"] = member }, circle.CircleId, 3000);

        Assert.Equal(result.Ack.EventId, result.Live.EventId);
        Assert.Equal("After the quiet.", result.Live.Note);
    }

    [Fact]
    public async Task A_circle_unloaded_while_nobody_was_connected_comes_back_with_everything_stored()
    {
        var (facilitator, member) = (await app.RegisterAsync("finn"), await app.RegisterAsync("gia"));
        var circle = await facilitator.CircleWithMembersAsync(member);
        var before = await facilitator.CircleAsync(circle.CircleId);

        await Task.Delay(TimeSpan.FromSeconds(3)); // idle: the circle's grain is collected
        var after = await facilitator.CircleAsync(circle.CircleId);
        await member.JoinCircleAsync(circle.InviteCode!, "gia");

        Assert.Equal(before, after with { Members = before.Members });
        Assert.Equal(before.Members, after.Members);
        Assert.Equal(["circle-created", "member-joined"], (await member.EventsAsync(circle.CircleId)).Events.Select(e => (string)e["type"]!));
    }

    private sealed record QuietSpell(Ack Ack, HubEvent Live);
}
