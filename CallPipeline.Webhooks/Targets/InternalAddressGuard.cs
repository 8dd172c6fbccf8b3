using System.Net;
using System.Net.Sockets;

namespace CallPipeline.Webhooks.Targets;

/// <summary>
/// A <see cref="SocketsHttpHandler.ConnectCallback"/> that resolves the host itself and refuses to connect to
/// internal addresses, so a public name that resolves to a private address (or is re-pointed later) cannot be
/// used to reach the internal network.
/// </summary>
public static class InternalAddressGuard
{
    public static async ValueTask<Stream> ConnectToPublicAddressAsync(SocketsHttpConnectionContext context, CancellationToken cancellationToken)
    {
        var endpoint = context.DnsEndPoint;
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);

        var allowed = addresses.Where(address => !NetworkAddresses.IsInternal(address)).ToArray();
        if (allowed.Length == 0)
        {
            throw new InternalTargetRefusedException(endpoint.Host);
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(allowed, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>The webhook's host resolved only to loopback or private addresses, so no connection was made.</summary>
public sealed class InternalTargetRefusedException(string host)
    : IOException($"Refused to connect to {host}: it resolves only to internal addresses.");
