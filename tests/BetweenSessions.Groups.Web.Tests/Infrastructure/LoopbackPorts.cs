using System.Net;
using System.Net.Sockets;

namespace BetweenSessions.Groups.Web.Tests.Infrastructure;

internal static class LoopbackPorts
{
    /// <summary>A loopback port no one listens on right now, for a process or sink the test starts next.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
