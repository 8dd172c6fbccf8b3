using System.Net;
using System.Net.Sockets;

namespace CallPipeline.Hosting.Infrastructure;

internal static class PortAllocator
{
    /// <summary>A TCP port on 127.0.0.1 that was free a moment ago, chosen by the kernel.</summary>
    public static int GetFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
