using System.Net;
using System.Net.Sockets;

namespace CallPipeline.Tests.Support;

internal static class FreePort
{
    /// <summary>A loopback port nothing listens on right now (the kernel picked it and it was released).</summary>
    public static int Next()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
