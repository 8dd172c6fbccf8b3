extern alias benchmarks;

using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text.Json;
using benchmarks::CallPipeline.Benchmarks.Gateway;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>
/// The load generator's media stream keeps the call's clock: a late wake-up sends every frame that fell due, numbered
/// and timestamped as Twilio numbers them, over a real WebSocket on a loopback TCP connection.
/// </summary>
public sealed class FrameStreamTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_late_wake_up_sends_every_frame_that_fell_due_in_order()
    {
        using var sockets = await WebSocketPair.ConnectAsync();
        var run = new LevelRun(1);
        var stream = new FrameStream(run, sockets.Client, "MZ1", "AAAA", sequence: 3, stopAt: long.MaxValue, CancellationToken.None);
        var created = Stopwatch.GetTimestamp();

        Assert.False(stream.SendDue());
        // Frames fall due at 0, 20, … 100 ms: after 100 ms the second wake-up owes at least five more. The stream keeps
        // time by the Stopwatch, and a timer can wake a little before it says 100 ms.
        while (Stopwatch.GetElapsedTime(created) < TimeSpan.FromMilliseconds(100))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5));
        }
        Assert.False(stream.SendDue());

        Assert.True(run.FramesSent >= 6, $"{run.FramesSent} frames sent");
        using var timeout = new CancellationTokenSource(Wait);
        var buffer = new byte[1024];
        for (var frame = 0; frame < run.FramesSent; frame++)
        {
            var received = await sockets.Server.ReceiveAsync(buffer, timeout.Token);
            using var message = JsonDocument.Parse(buffer.AsMemory(0, received.Count));
            var media = message.RootElement.GetProperty("media");
            Assert.Equal("media", message.RootElement.GetProperty("event").GetString());
            Assert.Equal($"{3 + frame}", message.RootElement.GetProperty("sequenceNumber").GetString());
            Assert.Equal($"{frame + 1}", media.GetProperty("chunk").GetString());
            Assert.Equal($"{frame * 20}", media.GetProperty("timestamp").GetString());
            Assert.Equal("AAAA", media.GetProperty("payload").GetString());
        }
    }

    [Fact]
    public async Task The_clock_completes_a_stream_at_its_stop_time()
    {
        using var sockets = await WebSocketPair.ConnectAsync();
        var run = new LevelRun(1);
        using var clock = new FrameClock();

        await clock.StreamAsync(new FrameStream(run, sockets.Client, "MZ1", "AAAA", 1, Stopwatch.GetTimestamp() + Stopwatch.Frequency / 10, CancellationToken.None))
            .WaitAsync(Wait);

        Assert.True(run.FramesSent >= 1, $"{run.FramesSent} frames sent");
    }

    /// <summary>Both ends of a WebSocket over a loopback TCP connection.</summary>
    private sealed class WebSocketPair(TcpClient client, TcpClient server) : IDisposable
    {
        public WebSocket Client { get; } = WebSocket.CreateFromStream(client.GetStream(), new WebSocketCreationOptions { IsServer = false });

        public WebSocket Server { get; } = WebSocket.CreateFromStream(server.GetStream(), new WebSocketCreationOptions { IsServer = true });

        public static async Task<WebSocketPair> ConnectAsync()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, ((IPEndPoint)listener.LocalEndpoint).Port);
            return new WebSocketPair(client, await listener.AcceptTcpClientAsync());
        }

        public void Dispose()
        {
            Client.Dispose();
            Server.Dispose();
            client.Dispose();
            server.Dispose();
        }
    }
}
