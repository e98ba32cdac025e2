using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Data.Sqlite;

namespace BetweenSessions.Groups.Web.Tests.Backups;

/// <summary>The app on a data folder it leaves behind, with a rate limit a steady stream of check-ins stays under.</summary>
internal sealed class BackupAppFixture(string dataFolder) : GroupsAppFixture(dataFolder, ownsDataFolder: false)
{
    /// <summary>The SQLite file GroupsAppFixture points the app at in its data folder.</summary>
    public string DatabaseFile { get; } = Path.Combine(dataFolder, "groups.db");

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Realtime:RateLimit:Burst"] = "1000",
        ["Realtime:RateLimit:PerSecond"] = "1000",
        ["Realtime:RateLimit:PersonBurst"] = "1000",
        ["Realtime:RateLimit:PersonPerSecond"] = "1000",
    };
}

/// <summary>
/// build/backup.sh copies the database of a running app while check-ins keep arriving; build/restore.sh puts the copy
/// in a fresh place, and an app started on it has every check-in that was acknowledged before the backup began.
/// Alone in its collection: the scripts build the backup tool, and two hosts and a build at once are enough for two cores.
/// </summary>
[Collection(BackupCollection.Name)]
public sealed class BackupRestoreTests(ITestOutputHelper output)
{
    private static readonly TimeSpan ScriptTimeout = TimeSpan.FromMinutes(5);

    [Fact]
    public async Task A_backup_taken_under_a_stream_of_check_ins_restores_every_acknowledged_one_into_a_fresh_host()
    {
        var ct = TestContext.Current.CancellationToken;
        var running = Directory.CreateTempSubdirectory("bsg-backup-running-").FullName;
        var restored = Directory.CreateTempSubdirectory("bsg-backup-restored-").FullName;
        var backups = Directory.CreateTempSubdirectory("bsg-backup-out-").FullName;
        try
        {
            var backupFile = Path.Combine(backups, "under-load.db");
            Dictionary<string, long> beforeBackup;
            TestUser facilitator, ana, ben;
            Guid circleId;
            await using (var first = new BackupAppFixture(running))
            {
                await first.InitializeAsync();
                facilitator = await first.RegisterAsync("Noor");
                ana = await first.RegisterAsync("Ana");
                ben = await first.RegisterAsync("Ben");
                circleId = (await facilitator.CircleWithMembersAsync(ana, ben)).CircleId;
                Assert.True(File.Exists(first.DatabaseFile), $"The app's database is not at {first.DatabaseFile}.");

                await using var anaHub = await ConnectAsync(first.BaseAddress, ana, circleId);
                await using var benHub = await ConnectAsync(first.BaseAddress, ben, circleId);

                // A reader of its own (a long report, say) holds a snapshot from before the stream, so no checkpoint
                // can move the streamed check-ins into the database file: they are only in its -wal when the backup
                // runs, where a plain copy of the file would miss them.
                await using var reader = new SqliteConnection($"Data Source={first.DatabaseFile};Mode=ReadOnly;Pooling=False");
                await reader.OpenAsync(ct);
                using var snapshot = reader.BeginTransaction(deferred: true);
                await using (var read = reader.CreateCommand())
                {
                    read.Transaction = snapshot;
                    read.CommandText = "SELECT count(*) FROM __EFMigrationsHistory;";
                    Assert.True((long)(await read.ExecuteScalarAsync(ct))! > 0);
                }

                var acknowledged = new ConcurrentDictionary<string, long>();
                using var stop = new CancellationTokenSource();
                var streams = new[] { (ana, anaHub), (ben, benHub) }
                    .Select(m => StreamAsync(m.Item1.Nickname, m.Item2, circleId, acknowledged, stop.Token)).ToList();

                // Some check-ins the copy must have first; then the backup, with the stream still going.
                while (acknowledged.Count < 40 && !streams.Any(s => s.IsCompleted)) await Task.Delay(50, ct);
                beforeBackup = new Dictionary<string, long>(acknowledged);
                var backup = await RunScriptAsync("backup.sh", first.DatabaseFile, backupFile);
                var duringBackup = acknowledged.Count - beforeBackup.Count;
                await stop.CancelAsync();
                await Task.WhenAll(streams);
                snapshot.Rollback();

                // Restoring onto the database the app has open is refused, and leaves it alone.
                var refused = await RunScriptAsync("restore.sh", backupFile, first.DatabaseFile);
                output.WriteLine($"{beforeBackup.Count} check-ins acknowledged before the backup, {duringBackup} while it ran, {acknowledged.Count} in all.");
                output.WriteLine(backup.Stdout);

                Assert.True(backup.ExitCode == 0, $"backup.sh failed ({backup.ExitCode}): {backup.Stderr}");
                Assert.Contains(backupFile, backup.Stdout);
                Assert.Contains("integrity ok", backup.Stdout);
                Assert.True(File.Exists(backupFile));
                Assert.True(refused.ExitCode == 1, $"restore.sh onto the running app's database exited {refused.ExitCode}: {refused.Stdout}{refused.Stderr}");
                Assert.Contains("Stop the app first", refused.Stderr);
                Assert.Empty(Directory.GetFiles(running, "*.before-restore-*"));
                Assert.Equal(acknowledged.Count, (await ReadCheckInsAsync(ana, circleId)).Count);
            }

            var restoredFile = Path.Combine(restored, "groups.db");
            var restore = await RunScriptAsync("restore.sh", backupFile, restoredFile);
            Assert.True(restore.ExitCode == 0, $"restore.sh failed ({restore.ExitCode}): {restore.Stderr}");
            Assert.Contains("integrity ok", restore.Stdout);

            await using var second = new BackupAppFixture(restored);
            await second.InitializeAsync();
            Assert.Equal(restoredFile, second.DatabaseFile);

            // Everyone's sign-in from before still works (the key ring is in the copy), and every check-in that was
            // acknowledged before the backup began is there once, with its seq, for each of them.
            var people = new[] { facilitator, ana, ben }.Select(p => p with { Http = Bearer(second.BaseAddress, p.Token) }).ToList();
            long lastSeq = 0;
            foreach (var person in people)
            {
                var log = await ReadLogAsync(person, circleId);
                var seqs = log.Select(e => e["seq"]!.GetValue<long>()).ToList();
                Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (long)i), seqs);
                var stored = log.Where(e => (string?)e["type"] == "check-in")
                    .GroupBy(e => (string)e["clientEventId"]!).ToDictionary(g => g.Key, g => g.ToList());
                foreach (var (clientEventId, seq) in beforeBackup)
                {
                    Assert.True(stored.TryGetValue(clientEventId, out var found), $"{person.Nickname} does not find check-in {clientEventId} (seq {seq}).");
                    Assert.Equal(seq, Assert.Single(found)["seq"]!.GetValue<long>());
                }
                lastSeq = seqs[^1];
            }
            Assert.Equal(3, (await people[0].CircleAsync(circleId)).Members.Count);

            // The restored circle goes on where the copy ends: a password sign-in works, and the next check-in takes
            // the next seq, with no gap or clash between the circle's stored state and its stored events.
            using (var anonymous = second.Anonymous())
                (await anonymous.PostAsJsonAsync("/api/identity/login", new { email = ben.Email, password = GroupsAppFixture.Password }, ct))
                    .EnsureSuccessStatusCode();
            await using var anaAgain = await ConnectAsync(second.BaseAddress, ana, circleId);
            var next = (await anaAgain.InvokeAsync<JsonObject>("CheckIn", circleId, CheckIn("after-restore", "Back again"), ct))["seq"]!.GetValue<long>();
            Assert.True(next > lastSeq, $"The first check-in after the restore got seq {next}; the restored log ends at {lastSeq}.");
            var after = await ReadLogAsync(people[2], circleId);
            Assert.Equal(Enumerable.Range(1, after.Count).Select(i => (long)i), after.Select(e => e["seq"]!.GetValue<long>()));
            Assert.Equal("after-restore", (string?)after.Single(e => e["seq"]!.GetValue<long>() == next)["clientEventId"]);
        }
        finally
        {
            foreach (var folder in new[] { running, restored, backups })
            {
                try { Directory.Delete(folder, recursive: true); }
                catch (IOException) { /* a temp folder left behind is harmless */ }
            }
        }
    }

    [Fact]
    public async Task The_scripts_say_what_is_wrong_and_change_nothing_when_a_file_is_missing_or_not_a_database()
    {
        var folder = Directory.CreateTempSubdirectory("bsg-backup-errors-").FullName;
        try
        {
            var missing = Path.Combine(folder, "missing.db");
            var noBackup = await RunScriptAsync("backup.sh", missing, Path.Combine(folder, "out.db"));
            Assert.Equal(1, noBackup.ExitCode);
            Assert.Contains($"No database at {missing}", noBackup.Stderr);

            var notADatabase = Path.Combine(folder, "notes.db");
            await File.WriteAllTextAsync(notADatabase, "not a database at all, just some words", TestContext.Current.CancellationToken);
            var target = Path.Combine(folder, "target.db");
            await File.WriteAllTextAsync(target, "stays as it is", TestContext.Current.CancellationToken);
            var refused = await RunScriptAsync("restore.sh", notADatabase, target);
            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("cannot be read as an SQLite database", refused.Stderr);
            Assert.Equal("stays as it is", await File.ReadAllTextAsync(target, TestContext.Current.CancellationToken));
            Assert.Equal(new[] { "notes.db", "target.db" }, Directory.GetFiles(folder).Select(f => Path.GetFileName(f)).Order().ToArray());

            var usage = await RunScriptAsync("restore.sh");
            Assert.Equal(2, usage.ExitCode);
            Assert.Contains("Stop the app first", usage.Stderr);
        }
        finally
        {
            try { Directory.Delete(folder, recursive: true); }
            catch (IOException) { }
        }
    }

    /// <summary>
    /// Check-ins one after another, as fast as they are acknowledged. Each is recorded only once its receipt is back,
    /// which the app sends after the commit.
    /// </summary>
    private static async Task StreamAsync(string name, HubConnection hub, Guid circleId, ConcurrentDictionary<string, long> acknowledged, CancellationToken stop)
    {
        for (var n = 1; !stop.IsCancellationRequested; n++)
        {
            var clientEventId = $"{name}-{n}-{Guid.NewGuid():N}";
            var ack = await hub.InvokeAsync<JsonObject>("CheckIn", circleId, CheckIn(clientEventId, $"steady {n}"), CancellationToken.None);
            acknowledged[clientEventId] = ack["seq"]!.GetValue<long>();
            // A breath between check-ins leaves the two cores to the app and the backup as well.
            await Task.Delay(10, CancellationToken.None);
        }
    }

    private static object CheckIn(string clientEventId, string note) =>
        new { clientEventId, capacity = "some", feelings = Array.Empty<string>(), note, visibility = "circle" };

    private static async Task<HubConnection> ConnectAsync(Uri app, TestUser user, Guid circleId)
    {
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(app, "hubs/circles"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(user.Token))
            .Build();
        hub.ServerTimeout = TimeSpan.FromSeconds(60);
        await hub.StartAsync();
        await hub.InvokeAsync<JsonObject>("JoinCircle", circleId, 0);
        return hub;
    }

    private static HttpClient Bearer(Uri app, string token)
    {
        var http = new HttpClient { BaseAddress = app, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    /// <summary>The circle's whole log as this person may read it, page by page.</summary>
    private static async Task<List<JsonObject>> ReadLogAsync(TestUser person, Guid circleId)
    {
        List<JsonObject> all = [];
        long after = 0;
        while (true)
        {
            var page = await person.EventsAsync(circleId, after, max: 100);
            all.AddRange(page.Events);
            if (page.Events.Count == 0 || !page.HasMore) return all;
            after = page.Events[^1]["seq"]!.GetValue<long>();
        }
    }

    private static async Task<List<JsonObject>> ReadCheckInsAsync(TestUser person, Guid circleId) =>
        (await ReadLogAsync(person, circleId)).Where(e => (string?)e["type"] == "check-in").ToList();

    private sealed record ScriptRun(int ExitCode, string Stdout, string Stderr);

    /// <summary>Runs build/NAME with bash from the repository root, as a person at a terminal would.</summary>
    private static async Task<ScriptRun> RunScriptAsync(string script, params string[] args)
    {
        var start = new ProcessStartInfo("bash")
        {
            WorkingDirectory = RepoPaths.Root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine("build", script));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(ScriptTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"build/{script} did not finish within {ScriptTimeout.TotalMinutes} minutes. stderr: {await stderr}");
        }
        return new ScriptRun(process.ExitCode, await stdout, await stderr);
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class BackupCollection
{
    public const string Name = "Backups, alone";
}
