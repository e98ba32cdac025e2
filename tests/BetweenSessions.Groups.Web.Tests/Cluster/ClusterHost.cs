using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using BetweenSessions.Groups.Web.Tests.Infrastructure;

namespace BetweenSessions.Groups.Web.Tests.Cluster;

/// <summary>
/// One host of a cluster: the built web app as its own process on a loopback port, joined to the others through the
/// shared PostgreSQL database. Killing it is SIGKILL: no goodbye to the cluster, no flush, as when a machine dies.
/// </summary>
internal sealed class ClusterHost : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    private ClusterHost(string name, Uri url, Process process)
    {
        Name = name;
        Url = url;
        _process = process;
    }

    public string Name { get; }

    public Uri Url { get; }

    public bool Killed { get; private set; }

    /// <summary>The last lines the host wrote, for a failure message.</summary>
    public string Tail
    {
        get
        {
            lock (_log)
            {
                var text = _log.ToString();
                return text.Length > 4000 ? text[^4000..] : text;
            }
        }
    }

    public static ClusterHost Start(string name, string connectionString, string clusterId, IReadOnlyDictionary<string, string>? extra = null)
    {
        var port = LoopbackPorts.Free();
        var url = new Uri($"http://127.0.0.1:{port}/");
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = WebOutput,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.ArgumentList.Add(Path.Combine(WebOutput, "BetweenSessions.Groups.Web.dll"));
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(url.ToString().TrimEnd('/'));
        var settings = new Dictionary<string, string>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Development",
            ["Database__Provider"] = "postgres",
            ["ConnectionStrings__Groups"] = connectionString,
            ["Cluster__Clustering"] = "database",
            ["Cluster__ClusterId"] = clusterId,
            // A dead host is noticed in seconds, not the production default's tens of seconds.
            ["Cluster__Membership__ProbeTimeout"] = "00:00:01",
            ["Cluster__Membership__NumMissedProbesLimit"] = "2",
            ["Cluster__Membership__IAmAliveTablePublishTimeout"] = "00:00:05",
            ["Subscriptions__Renewal"] = "00:00:02",
            // A steady stream from one connection is more than a person writes; the limit is not what is tested here.
            ["Realtime__RateLimit__Burst"] = "1000",
            ["Realtime__RateLimit__PerSecond"] = "1000",
            ["Realtime__RateLimit__PersonBurst"] = "1000",
            ["Realtime__RateLimit__PersonPerSecond"] = "1000",
            ["Accounts__SignInThrottle__Burst"] = "100000",
            ["Logging__LogLevel__Default"] = "Warning",
            ["Logging__LogLevel__Orleans"] = "Warning",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string>()) settings[key] = value;
        foreach (var (key, value) in settings) start.Environment[key] = value;
        var process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        var host = new ClusterHost(name, url, process);
        process.OutputDataReceived += (_, e) => host.Append(e.Data);
        process.ErrorDataReceived += (_, e) => host.Append(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return host;
    }

    /// <summary>Waits until /health says the database answers and this host is an active member of the cluster.</summary>
    public async Task WaitHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = Url, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        var last = "";
        while (DateTime.UtcNow < until)
        {
            if (_process.HasExited) throw new InvalidOperationException($"{Name} exited ({_process.ExitCode}):\n{Tail}");
            try
            {
                var response = await http.GetAsync("health");
                last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                if (response.StatusCode == HttpStatusCode.OK) return;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = ex.Message;
            }
            await Task.Delay(250);
        }
        throw new TimeoutException($"{Name} did not become healthy in {timeout} (last: {last}):\n{Tail}");
    }

    public void Kill()
    {
        Killed = true;
        _process.Kill(entireProcessTree: true);
        _process.WaitForExit();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null) return;
        lock (_log) _log.AppendLine(line);
    }

    /// <summary>The web app's own build output (same configuration as these tests), which has its runtime config.</summary>
    private static string WebOutput { get; } = FindWebOutput();

    private static string FindWebOutput()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent?.Name ?? "Release";
        var folder = Path.Combine(RepoPaths.Root, "src", "BetweenSessions.Groups.Web", "bin", configuration, "net10.0");
        return File.Exists(Path.Combine(folder, "BetweenSessions.Groups.Web.dll"))
            ? folder
            : throw new InvalidOperationException($"The web app is not built at {folder}.");
    }
}
