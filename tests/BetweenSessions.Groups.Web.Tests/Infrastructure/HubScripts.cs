using System.Diagnostics;
using System.Text.Json;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>
/// Runs a scenario script from tests/hub-client with node: the npm SignalR client, as member apps use it.
/// Tokens go in environment variables (BSG_TOKEN_NAME), never on the command line; the script prints JSON.
/// </summary>
public sealed class HubScripts(GroupsAppFixture app)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    public async Task<T> RunAsync<T>(string script, IReadOnlyDictionary<string, TestUser> people, params object[] args)
    {
        var node = RequireNode();
        var start = new ProcessStartInfo(node)
        {
            WorkingDirectory = RepoPaths.HubClient,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(RepoPaths.HubClient, script));
        start.ArgumentList.Add(app.BaseAddress.ToString().TrimEnd('/'));
        foreach (var arg in args) start.ArgumentList.Add(arg.ToString()!);
        foreach (var (name, person) in people) start.Environment[$"BSG_TOKEN_{name.ToUpperInvariant()}"] = person.Token;

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(Timeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"{script} did not finish within {Timeout.TotalSeconds} s. stderr: {await stderr}");
        }
        if (process.ExitCode != 0) Assert.Fail($"{script} failed (exit {process.ExitCode}): {await stderr}");
        return JsonSerializer.Deserialize<T>(await stdout, JsonSerializerOptions.Web)
               ?? throw new InvalidOperationException($"{script} printed nothing.");
    }

    /// <summary>node, or a skip when it is missing and nothing says it is required (BSG_REQUIRE_NODE or BSG_REQUIRE_BROWSER).</summary>
    private static string RequireNode()
    {
        var node = RepoPaths.OnPath("node");
        var required = RepoPaths.Required("BSG_REQUIRE_NODE") || RepoPaths.Required("BSG_REQUIRE_BROWSER");
        if (node is null)
        {
            if (required) Assert.Fail("node is not on PATH, and the hub tests are required.");
            Assert.Skip("node is not on PATH; the hub tests need it (set BSG_REQUIRE_NODE=1 to fail instead).");
        }
        if (!Directory.Exists(Path.Combine(RepoPaths.HubClient, "node_modules", "@microsoft", "signalr")))
            Assert.Fail($"@microsoft/signalr is not installed: run `npm ci` in {RepoPaths.HubClient}.");
        return node;
    }
}
