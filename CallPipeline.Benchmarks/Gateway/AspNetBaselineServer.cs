using System.Buffers.Text;
using System.Diagnostics;
using System.Globalization;
using System.Net.WebSockets;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// The second baseline: the least an ASP.NET Core server does for a Media Stream, the same work as the Node.js
/// baseline's <c>server.js</c> (ASP.NET Core's WebSockets, <see cref="Utf8JsonReader"/>, base64, append to a file per
/// call) on the gateway's runtime settings. The gateway's CPU a frame against this one is what the gateway's own work
/// costs; this one against Node.js's is what the platform costs. Run in a process of its own by
/// <see cref="AspNetBaselineTarget"/> (this program's <c>aspnet-baseline-server</c> mode).
/// </summary>
public static class AspNetBaselineServer
{
    public const string Mode = "aspnet-baseline-server";

    /// <summary>Serves until the process is told to stop (SIGTERM, as the benchmark ends it).</summary>
    public static async Task RunAsync()
    {
        var port = Setting("PORT");
        var recordings = Setting("RECORDINGS_PATH");
        var bounds = JsonSerializer.Deserialize<double[]>(Setting("LAG_BUCKETS"))!;
        Directory.CreateDirectory(recordings);
        var stats = new BaselineStats(bounds);

        // Content from the program's folder, not the working one: the recordings are written below that, and the
        // configuration's file watcher woke for every write (1,900 times a second, 3 % of the CPU, at 1,000 calls).
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        // As the gateway: continuations on the socket engine's thread (with DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS).
        builder.Services.Configure<SocketTransportOptions>(options => options.UnsafePreferInlineScheduling = true);
        var app = builder.Build();
        app.UseWebSockets();
        app.MapGet("/stats", (HttpRequest request) => TypedResults.Json(stats.Take(reset: request.Query.ContainsKey("reset"))));
        app.MapPost("/twilio/voice/incoming", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var url = $"ws://127.0.0.1:{port}/twilio/media/{Uri.EscapeDataString(form["CallSid"].ToString())}";
            return TypedResults.Content($"""<?xml version="1.0" encoding="UTF-8"?><Response><Connect><Stream url="{url}"/></Connect></Response>""", "text/xml");
        });
        app.MapPost("/{**path}", () => TypedResults.NoContent());
        app.Map("/twilio/media/{callSid}", async (HttpContext context) =>
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync();
            await StreamAsync(socket, recordings, stats);
        });
        await app.RunAsync($"http://127.0.0.1:{port}");
    }

    /// <summary>One of the settings <see cref="BaselineServerTarget"/> starts every baseline with.</summary>
    private static string Setting(string name) =>
        Environment.GetEnvironmentVariable(name) ?? throw new InvalidOperationException($"{name} is not set.");

    private static async Task StreamAsync(WebSocket socket, string recordings, BaselineStats stats)
    {
        var message = new byte[4096];
        var audio = new byte[1024];
        FileStream? file = null;
        var clock = 0L;
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult received;
                do
                {
                    received = await socket.ReceiveAsync(message.AsMemory(count), CancellationToken.None);
                    count += received.Count;
                }
                while (!received.EndOfMessage && received.MessageType != WebSocketMessageType.Close);
                if (received.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                var read = Read(message.AsSpan(0, count), audio);
                switch (read.Event)
                {
                    case "start":
                        clock = Stopwatch.GetTimestamp();
                        file = new FileStream(Path.Combine(recordings, read.CallSid + ".ulaw"), FileMode.Create, FileAccess.Write, FileShare.None, 4096);
                        break;
                    case "media" when file is not null:
                        file.Write(audio, 0, read.AudioBytes);
                        var lag = Stopwatch.GetElapsedTime(clock).TotalMilliseconds - read.TimestampMs;
                        if (lag < 0)
                        {
                            clock += (long)(lag * Stopwatch.Frequency / 1000);
                            lag = 0;
                        }
                        stats.Frame(lag);
                        break;
                    case "stop" when file is not null:
                        await file.DisposeAsync();
                        file = null;
                        stats.Finalized();
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "stopped", CancellationToken.None);
                        break;
                }
            }
        }
        catch (WebSocketException)
        {
            // The generator dropped the connection: the call ends as the Node.js baseline's does, its file closed.
        }
        finally
        {
            if (file is not null)
            {
                await file.DisposeAsync();
            }
        }
    }

    /// <summary>The event, the start's CallSid, and a media message's timestamp and audio (decoded into <paramref name="audio"/>).</summary>
    private static (string? Event, string? CallSid, double TimestampMs, int AudioBytes) Read(ReadOnlySpan<byte> json, Span<byte> audio)
    {
        var reader = new Utf8JsonReader(json);
        (string? Event, string? CallSid, double TimestampMs, int AudioBytes) read = default;
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName)
            {
                continue;
            }
            if (reader.ValueTextEquals("event"u8) && reader.Read())
            {
                read.Event = reader.GetString();
            }
            else if (reader.ValueTextEquals("callSid"u8) && reader.Read())
            {
                read.CallSid = reader.GetString();
            }
            else if (reader.ValueTextEquals("timestamp"u8) && reader.Read())
            {
                read.TimestampMs = double.Parse(reader.GetString()!, CultureInfo.InvariantCulture);
            }
            else if (reader.ValueTextEquals("payload"u8) && reader.Read())
            {
                Base64.DecodeFromUtf8(reader.ValueSpan, audio, out _, out read.AudioBytes);
            }
        }
        return read;
    }
}
