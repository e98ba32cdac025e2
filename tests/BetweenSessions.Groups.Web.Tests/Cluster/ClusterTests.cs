using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Npgsql;

namespace BetweenSessions.Groups.Web.Tests.Cluster;

/// <summary>
/// Three hosts on one PostgreSQL database form one Orleans cluster. Members connected to different hosts hear each
/// other live; then the host that holds the circle is killed under a steady stream of check-ins, and nothing that was
/// acknowledged is lost or stored twice, for anyone.
/// </summary>
[Collection(ClusterCollection.Name)]
public sealed class ClusterTests : IAsyncLifetime
{
    private readonly List<ClusterHost> _hosts = [];
    private readonly List<ClusterMember> _people = [];
    private string? _database;

    public async ValueTask InitializeAsync()
    {
        var server = Environment.GetEnvironmentVariable("BSG_TEST_POSTGRES");
        if (string.IsNullOrWhiteSpace(server))
        {
            if (RepoPaths.Required("BSG_REQUIRE_POSTGRES")) Assert.Fail("BSG_TEST_POSTGRES is not set, and BSG_REQUIRE_POSTGRES says the cluster test must run.");
            Assert.Skip("No PostgreSQL (BSG_TEST_POSTGRES); the cluster needs one. build/postgres.sh start, then set it.");
        }
        _database = $"bsg_cluster_{Guid.NewGuid():N}";
        await using (var admin = new NpgsqlConnection(server))
        {
            await admin.OpenAsync();
            await using var create = new NpgsqlCommand($"CREATE DATABASE {_database}", admin);
            await create.ExecuteNonQueryAsync();
        }
        var connectionString = new NpgsqlConnectionStringBuilder(server) { Database = _database }.ToString();
        var clusterId = $"test-{Guid.NewGuid():N}";
        // The first host migrates the empty database; the others join once it is there.
        _hosts.Add(ClusterHost.Start("host 1", connectionString, clusterId));
        await _hosts[0].WaitHealthyAsync(TimeSpan.FromMinutes(2));
        _hosts.Add(ClusterHost.Start("host 2", connectionString, clusterId));
        _hosts.Add(ClusterHost.Start("host 3", connectionString, clusterId));
        await Task.WhenAll(_hosts.Skip(1).Select(h => h.WaitHealthyAsync(TimeSpan.FromMinutes(2))));
    }

    [Fact]
    public async Task Members_on_different_hosts_share_a_circle_and_a_killed_host_loses_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (first, second, third) = (_hosts[0], _hosts[1], _hosts[2]);
        var facilitator = await Person("Facilitator", first);
        var ana = await Person("Ana", second);
        var ben = await Person("Ben", third);

        // The circle is created through the first host, so its grain lives there (it prefers the host that first uses it).
        var created = (await (await facilitator.Http.PostAsJsonAsync("api/circles", new { name = "Thursday circle", displayName = "Facilitator" }, ct))
            .EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonObject>(ct))!;
        var circleId = created["circleId"]!.GetValue<Guid>();
        var inviteCode = created["inviteCode"]!.GetValue<string>();
        foreach (var member in new[] { ana, ben })
            (await member.Http.PostAsJsonAsync("api/circles/join", new { inviteCode, displayName = member.Name }, ct)).EnsureSuccessStatusCode();
        foreach (var person in _people)
        {
            await person.ConnectAsync();
            await person.JoinAsync(circleId);
        }

        // Live across hosts: Ana's check-in (host 2) reaches Ben (host 3) and the facilitator (host 1).
        var hello = Guid.NewGuid().ToString();
        await ana.InvokeAsync("CheckIn", circleId, ClusterMember.CheckIn(hello, "Hello from host 2"));
        await ben.HearsAsync(e => ClusterMember.ClientEventIdOf(e) == hello, "Ana's check-in");
        await facilitator.HearsAsync(e => ClusterMember.ClientEventIdOf(e) == hello, "Ana's check-in");

        // A round started on the first host is answered from the other two, and the facilitator hears both answers.
        var started = await facilitator.InvokeAsync("StartRound", circleId, new { clientEventId = Guid.NewGuid().ToString(), prompt = "One word for today?" });
        var round = await ana.HearsAsync(e => e["type"]?.GetValue<string>() == "round-started", "the round");
        var roundId = round["roundId"]!.GetValue<Guid>();
        Assert.Equal(started["seq"]!.GetValue<long>(), round["seq"]!.GetValue<long>());
        foreach (var (member, word) in new[] { (ana, "Tired"), (ben, "Here") })
            await member.InvokeAsync("RespondToRound", circleId, new { clientEventId = Guid.NewGuid().ToString(), roundId, capacity = "some", text = word, pass = false });
        foreach (var word in new[] { "Tired", "Here" })
            await facilitator.HearsAsync(e => e["type"]?.GetValue<string>() == "round-answered" && e["text"]?.GetValue<string>() == word, $"the answer '{word}'");

        // A refusal made by the circle's grain on the first host reaches callers on the others whole: over the hub
        // with its message, and over REST as ProblemDetails naming the field.
        var refused = await Assert.ThrowsAsync<HubException>(() => ana.InvokeAsync("CheckIn", circleId,
            new { clientEventId = Guid.NewGuid().ToString(), capacity = "boundless", feelings = Array.Empty<string>(), visibility = "circle" }));
        Assert.Contains("Capacity", refused.Message);
        using (var facilitatorOnSecond = facilitator.HttpOn(second))
        {
            var leaving = await facilitatorOnSecond.PostAsync($"api/circles/{circleId}/leave", null, ct);
            var problem = await leaving.ReadProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains("only facilitator", Assert.Single(problem.Errors!["circle"]));
        }

        // Ana asks to be reminded of her practice at a time that falls while the circle's host is down (UTC, her zone).
        var cueAt = NextMinuteAfter(DateTimeOffset.UtcNow.AddSeconds(45));
        await ana.InvokeAsync("MakeCommitment", circleId, new
        {
            clientEventId = Guid.NewGuid().ToString(), practice = "Three slow breaths", cue = "When the kettle boils", size = "Just one round",
            visibility = "circle", cueTime = cueAt.ToString("HH:mm"), remindMe = true,
        });

        // A steady stream from both members, through the kill of the host that holds the circle. An unanswered
        // check-in is sent again with the same client event id until it is acknowledged, as the apps do.
        var acknowledged = new ConcurrentDictionary<string, long>();
        using var stop = new CancellationTokenSource();
        var streams = new[] { ana, ben }.Select(m => StreamAsync(m, circleId, acknowledged, stop.Token)).ToList();
        var untilKill = cueAt - DateTimeOffset.UtcNow - TimeSpan.FromSeconds(1);
        if (untilKill > TimeSpan.Zero) await Task.Delay(untilKill, ct);
        var beforeKill = acknowledged.Count;
        first.Kill();
        var killedAt = DateTimeOffset.UtcNow;

        // The circle comes back on another host: check-ins are acknowledged again.
        var recovered = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (acknowledged.Count < beforeKill + 100 && DateTime.UtcNow < recovered) await Task.Delay(200, ct);
        await stop.CancelAsync();
        await Task.WhenAll(streams);
        Assert.True(acknowledged.Count >= beforeKill + 100,
            $"After the kill only {acknowledged.Count - beforeKill} check-ins were acknowledged.\nhost 2:\n{second.Tail}\nhost 3:\n{third.Tail}");

        // A resend after the crash gets its original receipt and stores nothing new.
        var (resentId, resentSeq) = acknowledged.First();
        var author = resentId.StartsWith(ana.Name, StringComparison.Ordinal) ? ana : ben;
        var again = await author.InvokeAsync("CheckIn", circleId, ClusterMember.CheckIn(resentId, "resent"));
        Assert.Equal(resentSeq, again["seq"]!.GetValue<long>());

        // The facilitator's app reconnects to a live host and replays; everyone hears the next check-in live.
        facilitator.UseHost(second);
        await facilitator.ConnectAsync();
        await facilitator.JoinAsync(circleId);
        var after = Guid.NewGuid().ToString();
        await ben.InvokeAsync("CheckIn", circleId, ClusterMember.CheckIn(after, "After the storm"));
        foreach (var person in new[] { facilitator, ana })
            await person.HearsAsync(e => ClusterMember.ClientEventIdOf(e) == after, "Ben's check-in after the failover");

        // Every acknowledged check-in is in the log exactly once, for every person entitled to it, with no gaps.
        foreach (var person in _people)
        {
            var log = await person.ReadLogAsync(circleId);
            var seqs = log.Select(e => e["seq"]!.GetValue<long>()).ToList();
            Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
            var byClientId = log.Where(e => e["type"]?.GetValue<string>() == "check-in")
                .GroupBy(e => ClusterMember.ClientEventIdOf(e)!).ToDictionary(g => g.Key, g => g.ToList());
            foreach (var (clientEventId, seq) in acknowledged)
            {
                Assert.True(byClientId.TryGetValue(clientEventId, out var stored), $"{person.Name} does not find acknowledged check-in {clientEventId}.");
                Assert.Single(stored);
                Assert.Equal(seq, stored[0]["seq"]!.GetValue<long>());
            }
        }

        // The reminder due while the host was down fires once afterwards (at most a period late), and only once.
        var nudges = await WaitForAsync(async () => (await CueNudgesAsync(ana)).Count > 0, TimeSpan.FromMinutes(3));
        Assert.True(nudges, $"No cue reminder reached Ana after the outage (due {cueAt:HH:mm:ss}, host killed {killedAt:HH:mm:ss}).");
        await Task.Delay(OneReminderPeriod + TimeSpan.FromSeconds(5), ct);
        var cue = Assert.Single(await CueNudgesAsync(ana));
        Assert.Contains("Three slow breaths", cue["title"]!.GetValue<string>());
    }

    private static readonly TimeSpan OneReminderPeriod = TimeSpan.FromMinutes(1);

    private static async Task StreamAsync(ClusterMember member, Guid circleId, ConcurrentDictionary<string, long> acknowledged, CancellationToken stop)
    {
        var n = 0;
        string? pending = null;
        while (!stop.IsCancellationRequested)
        {
            pending ??= $"{member.Name}-{n++}-{Guid.NewGuid():N}";
            try
            {
                var ack = await member.InvokeAsync("CheckIn", circleId, ClusterMember.CheckIn(pending, $"steady {n}"));
                acknowledged[pending] = ack["seq"]!.GetValue<long>();
                pending = null;
                await Task.Delay(50, CancellationToken.None);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The circle is between hosts: the same check-in goes again shortly.
                await Task.Delay(250, CancellationToken.None);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private static async Task<List<JsonObject>> CueNudgesAsync(ClusterMember member) =>
        (await member.Http.GetFromJsonAsync<List<JsonObject>>("api/me/nudges"))!
            .Where(n => n["kind"]?.GetValue<string>() == "cue").ToList();

    private static async Task<bool> WaitForAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await condition()) return true;
            }
            catch (HttpRequestException)
            {
            }
            await Task.Delay(1000);
        }
        return false;
    }

    private static DateTimeOffset NextMinuteAfter(DateTimeOffset instant) =>
        new DateTimeOffset(instant.Year, instant.Month, instant.Day, instant.Hour, instant.Minute, 0, TimeSpan.Zero).AddMinutes(1);

    private async Task<ClusterMember> Person(string name, ClusterHost host)
    {
        var person = await ClusterMember.RegisterAsync(name, host);
        _people.Add(person);
        return person;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var person in _people) await person.DisposeAsync();
        foreach (var host in _hosts) await host.DisposeAsync();
        if (_database is null) return;
        NpgsqlConnection.ClearAllPools();
        await using var admin = new NpgsqlConnection(Environment.GetEnvironmentVariable("BSG_TEST_POSTGRES"));
        await admin.OpenAsync();
        await using var drop = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_database} WITH (FORCE)", admin);
        await drop.ExecuteNonQueryAsync();
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ClusterCollection
{
    public const string Name = "Cluster of three hosts";
}
