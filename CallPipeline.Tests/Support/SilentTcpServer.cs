using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace CallPipeline.Tests.Support;

/// <summary>
/// A dependency that hangs: it accepts every TCP connection and never sends a byte, as a SIGSTOPped Postgres or Redis
/// looks to its clients (the kernel still completes the handshake).
/// </summary>
internal sealed class SilentTcpServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly ConcurrentBag<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();

    public SilentTcpServer()
    {
        _listener.Start();
        _ = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>How many connections clients opened so far.</summary>
    public int Accepted => _accepted.Count;

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                _accepted.Add(await _listener.AcceptSocketAsync(_stop.Token));
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        foreach (var socket in _accepted)
        {
            socket.Dispose();
        }
        _stop.Dispose();
    }
}
