using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

/// <summary>
/// A loopback TCP proxy between a browser and the app that can drop every open connection and refuse new ones, as a
/// phone losing its network does, and then let traffic through again, to the same app or to another one on the same
/// data (a restart).
/// </summary>
public sealed class CuttableProxy : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentDictionary<TcpClient, byte> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accepting;
    private volatile bool _refusing;
    private volatile Uri _upstream;

    public CuttableProxy(Uri upstream)
    {
        _upstream = upstream;
        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>http://localhost:PORT, so the browser keeps its cookies for "localhost" whichever app is behind.</summary>
    public Uri Address => new($"http://localhost:{((IPEndPoint)_listener.LocalEndpoint).Port}");

    /// <summary>Drops every open connection and refuses new ones until <see cref="Restore"/>.</summary>
    public void Cut()
    {
        _refusing = true;
        foreach (var connection in _open.Keys) connection.Dispose();
        _open.Clear();
    }

    public void Restore(Uri? upstream = null)
    {
        if (upstream is not null) _upstream = upstream;
        _refusing = false;
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            if (_refusing) { client.Dispose(); continue; }
            _ = PipeAsync(client);
        }
    }

    private async Task PipeAsync(TcpClient client)
    {
        using var upstream = new TcpClient();
        _open[client] = 0;
        _open[upstream] = 0;
        try
        {
            await upstream.ConnectAsync(IPAddress.Loopback, _upstream.Port, _stop.Token);
            var (down, up) = (client.GetStream(), upstream.GetStream());
            await Task.WhenAny(down.CopyToAsync(up, _stop.Token), up.CopyToAsync(down, _stop.Token));
        }
        catch (Exception) { /* a cut connection ends here, which is the point */ }
        finally
        {
            _open.TryRemove(client, out _);
            _open.TryRemove(upstream, out _);
            client.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
        await _accepting;
        _stop.Dispose();
    }
}
