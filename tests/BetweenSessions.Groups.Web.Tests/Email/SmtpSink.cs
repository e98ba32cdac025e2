using BetweenSessions.Groups.Web.Tests.Infrastructure;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace BetweenSessions.Groups.Web.Tests.Email;

/// <summary>One email as the SMTP server received it.</summary>
public sealed record ReceivedEmail(string From, IReadOnlyList<string> To, IReadOnlyDictionary<string, string> Headers, string Text, string Html)
{
    public string Subject => Headers.GetValueOrDefault("Subject", "");
}

/// <summary>
/// A real SMTP server on a free loopback port (aiosmtpd via tests' smtp_sink.py), writing what arrives to a folder.
/// Without python3-aiosmtpd the email tests skip, or fail when BSG_REQUIRE_SMTP=1.
/// </summary>
public sealed class SmtpSink : IDisposable
{
    private readonly Process? _process;
    private readonly string? _missing;

    public SmtpSink()
    {
        Folder = Directory.CreateTempSubdirectory("bsg-smtp-").FullName;
        Port = LoopbackPorts.Free();
        // Debian's python3 first: a pyenv or venv python on PATH does not see Debian's python3-aiosmtpd.
        var python = new[] { "/usr/bin/python3", "python3" }.FirstOrDefault(p => HasAiosmtpd(p));
        if (python is null)
        {
            _missing = "python3-aiosmtpd is not installed (apt-get install python3-aiosmtpd).";
            return;
        }
        var script = Path.Combine(AppContext.BaseDirectory, "Email", "smtp_sink.py");
        _process = Process.Start(new ProcessStartInfo(python, [script, Port.ToString(), Folder])
        {
            RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        })!;
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(30)) || ready.Result != "ready")
            _missing = "the SMTP server did not start: " + _process.StandardError.ReadToEnd();
    }

    public string Folder { get; }

    public int Port { get; }

    public bool Available => _missing is null;

    /// <summary>Skips the test (fails with BSG_REQUIRE_SMTP=1) when there is no SMTP server.</summary>
    public void Require()
    {
        if (_missing is null) return;
        if (Environment.GetEnvironmentVariable("BSG_REQUIRE_SMTP") is "1" or "true") Assert.Fail(_missing);
        Assert.Skip(_missing + " Set BSG_REQUIRE_SMTP=1 to fail instead.");
    }

    public IReadOnlyList<ReceivedEmail> Received() =>
        Directory.GetFiles(Folder, "*.json").Order(StringComparer.Ordinal)
            .Select(f => JsonSerializer.Deserialize<ReceivedEmail>(File.ReadAllText(f), Json)!).ToList();

    /// <summary>Everything sent to <paramref name="address"/> once at least <paramref name="count"/> arrived (30 s at most).</summary>
    public async Task<IReadOnlyList<ReceivedEmail>> WaitForAsync(string address, int count)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            var mine = To(address);
            if (mine.Count >= count || DateTime.UtcNow > deadline) return mine;
            await Task.Delay(100);
        }
    }

    public IReadOnlyList<ReceivedEmail> To(string address) =>
        Received().Where(e => e.To.Contains(address, StringComparer.OrdinalIgnoreCase)).ToList();

    public void Dispose()
    {
        if (_process is { HasExited: false })
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000)) _process.Kill();
        }
        _process?.Dispose();
        try { Directory.Delete(Folder, recursive: true); }
        catch (IOException) { }
    }

    private static readonly JsonSerializerOptions Json = new() { PropertyNameCaseInsensitive = true };

    private static bool HasAiosmtpd(string python)
    {
        try
        {
            using var p = Process.Start(new ProcessStartInfo(python, ["-c", "import aiosmtpd"])
                { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false })!;
            p.WaitForExit(20000);
            return p.ExitCode == 0;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
