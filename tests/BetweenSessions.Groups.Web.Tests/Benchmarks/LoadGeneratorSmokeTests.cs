using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Benchmarks;

/// <summary>The app with benchmark mode on, as build/bench.sh starts it (the rate limit raised for the capacity phase).</summary>
public sealed class BenchmarkModeAppFixture : GroupsAppFixture
{
    public const string Collection = "Groups app, benchmark mode";

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Benchmarks:Enabled"] = "true",
        ["Realtime:RateLimit:Burst"] = "1000",
        ["Realtime:RateLimit:PerSecond"] = "1000",
        ["Realtime:RateLimit:PersonBurst"] = "1000",
        ["Realtime:RateLimit:PersonPerSecond"] = "1000",
    };
}

[CollectionDefinition(BenchmarkModeAppFixture.Collection)]
public sealed class BenchmarkModeAppCollection : ICollectionFixture<BenchmarkModeAppFixture>;

/// <summary>
/// The load generator at a tiny scale against the real app: seeded people sign in with the tokens and cookies benchmark
/// mode issued, every check-in reaches exactly the people entitled to it on both hubs, and the summary says so.
/// No timings are asserted: this proves the benchmark measures the right thing, not how fast it is.
/// </summary>
[Collection(BenchmarkModeAppFixture.Collection)]
public sealed class LoadGeneratorSmokeTests(BenchmarkModeAppFixture app)
{
    [Fact]
    public async Task A_small_run_delivers_every_check_in_to_every_entitled_peer_and_to_no_one_else()
    {
        var folder = Directory.CreateTempSubdirectory("bsg-load-smoke-").FullName;
        var summaryFile = Path.Combine(folder, "summary.json");
        string[] args =
        [
            "--url", app.BaseAddress.ToString(), "--circles", "3", "--members", "4", "--workers", "2",
            "--rate", "20", "--seconds", "2", "--warmup-seconds", "1", "--baseline-seconds", "1", "--grace-seconds", "10",
            "--capacity-seconds", "1", "--capacity-rounds", "1", "--capacity-in-flight", "6",
            // One check-in in four for the facilitators only: the others in the circle must not receive it.
            "--facilitators-share", "0.25",
            "--dashboards", Chromium() is null ? "0" : "1", "--chromium", Chromium() ?? "", "--out", summaryFile, "--quiet",
        ];

        var (exitCode, stdout, stderr) = await RunAsync(args);

        Assert.True(exitCode == 0, $"The load generator failed (exit {exitCode}): {stderr}\n{stdout}");
        var summary = JsonNode.Parse(await File.ReadAllTextAsync(summaryFile))!;
        Assert.Equal(12, (int)summary["durable"]!["connect"]!["connected"]!);
        Assert.Equal(12, (int)summary["bare"]!["connect"]!["connected"]!);
        var phases = new[] { summary["durable"]!["atRate"]!, summary["bare"]!["atRate"]! }
            .Concat(summary["capacity"]!["rounds"]!.AsArray().SelectMany(r => new[] { r!["bare"]!, r["durable"]! }));
        foreach (var phase in phases)
        {
            Assert.True((int)phase["sent"]! > 0);
            Assert.Equal((int)phase["sent"]!, (int)phase["acked"]!);
            Assert.Equal(0, (int)phase["failed"]!);
            Assert.Equal(0, (int)phase["lostDeliveries"]!);
            Assert.Equal(0, (int)phase["leaks"]!);
            Assert.Equal(0, (int)phase["duplicates"]!);
            Assert.Equal((int)phase["expectedDeliveries"]!, (int)phase["deliveries"]!);
        }
        // Facilitators-only check-ins reach fewer people than the circle's four, so fewer deliveries than 4 per check-in.
        var durable = summary["durable"]!["atRate"]!;
        Assert.True((int)durable["deliveries"]! < 4 * (int)durable["acked"]!);
        // Measured and reported for every connection; at this scale the heap's own noise can outweigh a dozen connections,
        // so its size is the benchmark's business, not this test's.
        var idle = summary["memory"]!["idleMemberConnection"]!;
        Assert.Equal(12, (int)idle["count"]!);
        Assert.NotNull((double?)idle["managedHeapKBEach"]);
        if (Chromium() is not null) Assert.Equal(1, (int)summary["memory"]!["facilitatorPage"]!["count"]!);
        Assert.Contains("Targets", stdout);
        try { Directory.Delete(folder, recursive: true); } catch (IOException) { }
    }

    private static string? Chromium()
    {
        var chromium = Environment.GetEnvironmentVariable("BSG_CHROMIUM") is { Length: > 0 } configured ? configured : "/usr/bin/chromium";
        return File.Exists(chromium) ? chromium : null;
    }

    private static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args)
    {
        var node = RepoPaths.OnPath("node");
        var required = RepoPaths.Required("BSG_REQUIRE_NODE") || RepoPaths.Required("BSG_REQUIRE_BROWSER");
        if (node is null)
        {
            if (required) Assert.Fail("node is not on PATH, and the hub tests are required.");
            Assert.Skip("node is not on PATH; the load generator needs it (set BSG_REQUIRE_NODE=1 to fail instead).");
        }
        if (!Directory.Exists(Path.Combine(RepoPaths.HubLoad, "node_modules", "@microsoft", "signalr")))
            Assert.Fail($"The load generator's packages are not installed: run `npm ci` in {RepoPaths.HubLoad}.");

        var start = new ProcessStartInfo(node!) { WorkingDirectory = RepoPaths.HubLoad, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(Path.Combine(RepoPaths.HubLoad, "run.mjs"));
        foreach (var arg in args) start.ArgumentList.Add(arg);
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The load generator did not finish within 3 minutes. stderr: {await stderr}");
        }
        return (process.ExitCode, await stdout, await stderr);
    }
}
