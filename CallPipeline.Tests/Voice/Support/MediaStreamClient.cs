using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;

namespace CallPipeline.Tests.Voice.Support;

/// <summary>
/// Twilio's side of a Media Stream: sends connected/start/media/mark/dtmf/stop exactly as documented (numbers as
/// strings) and collects what the gateway sends back until it closes.
/// </summary>
internal sealed class MediaStreamClient : IAsyncDisposable
{
    private readonly ClientWebSocket _socket;
    private readonly ConcurrentQueue<JsonElement> _received = new();
    private readonly Task _receiving;
    private int _sequence;

    public MediaStreamClient(ClientWebSocket socket)
    {
        _socket = socket;
        _receiving = ReceiveAsync();
    }

    public ClientWebSocket Socket => _socket;

    public IReadOnlyList<JsonElement> Received => [.. _received];

    public IEnumerable<JsonElement> ReceivedEvents(string name) => Received.Where(m => m.GetProperty("event").GetString() == name);

    public WebSocketCloseStatus? CloseStatus => _socket.CloseStatus;

    public Task SendConnectedAsync() => SendJsonAsync("""{"event":"connected","protocol":"Call","version":"1.0.0"}""");

    public Task SendStartAsync(string callSid, string streamSid, string accountSid = VoiceTestData.AccountSid) => SendJsonAsync(JsonSerializer.Serialize(new
    {
        @event = "start",
        sequenceNumber = NextSequence(),
        start = new
        {
            accountSid,
            streamSid,
            callSid,
            tracks = new[] { "inbound" },
            mediaFormat = new { encoding = "audio/x-mulaw", sampleRate = 8000, channels = 1 },
            customParameters = new Dictionary<string, string> { ["CallSid"] = callSid },
        },
        streamSid,
    }));

    public Task SendMediaAsync(string streamSid, byte[] muLaw, int chunk, long timestampMs) => SendJsonAsync(JsonSerializer.Serialize(new
    {
        @event = "media",
        sequenceNumber = NextSequence(),
        media = new { track = "inbound", chunk = chunk.ToString(), timestamp = timestampMs.ToString(), payload = Convert.ToBase64String(muLaw) },
        streamSid,
    }));

    /// <summary>Sends <paramref name="frames"/> 20 ms frames of 160 bytes, with Twilio's chunk numbers and timestamps.</summary>
    public async Task SendFramesAsync(string streamSid, int frames, byte value = 0xFF, int firstChunk = 1)
    {
        var frame = Enumerable.Repeat(value, 160).ToArray();
        for (var i = 0; i < frames; i++)
        {
            var chunk = firstChunk + i;
            await SendMediaAsync(streamSid, frame, chunk, (chunk - 1) * 20L);
        }
    }

    public Task SendMarkAsync(string streamSid, string name) => SendJsonAsync(JsonSerializer.Serialize(new
    {
        @event = "mark", sequenceNumber = NextSequence(), streamSid, mark = new { name },
    }));

    public Task SendDtmfAsync(string streamSid, string digit) => SendJsonAsync(JsonSerializer.Serialize(new
    {
        @event = "dtmf", streamSid, sequenceNumber = NextSequence(), dtmf = new { track = "inbound_track", digit },
    }));

    public Task SendStopAsync(string callSid, string streamSid) => SendJsonAsync(JsonSerializer.Serialize(new
    {
        @event = "stop", sequenceNumber = NextSequence(), stop = new { accountSid = VoiceTestData.AccountSid, callSid }, streamSid,
    }));

    public Task SendJsonAsync(string json) => SendRawAsync(Encoding.UTF8.GetBytes(json), WebSocketMessageType.Text);

    public async Task SendRawAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await _socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>Waits until the gateway has closed the stream; returns its close status.</summary>
    public async Task<WebSocketCloseStatus?> WaitForCloseAsync(TimeSpan? timeout = null)
    {
        await _receiving.WaitAsync(timeout ?? TimeSpan.FromSeconds(30));
        return _socket.CloseStatus;
    }

    public async Task<IReadOnlyList<JsonElement>> WaitForEventsAsync(string name, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(30));
        while (ReceivedEvents(name).Count() < count)
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Expected {count} '{name}' messages, got {ReceivedEvents(name).Count()}.");
            }
            await Task.Delay(50);
        }
        return [.. ReceivedEvents(name)];
    }

    public async Task CloseAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
        {
            await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "hangup", timeout.Token);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _socket.Abort();
        try
        {
            await _receiving.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (TimeoutException)
        {
        }
        _socket.Dispose();
    }

    private string NextSequence() => Interlocked.Increment(ref _sequence).ToString();

    private async Task ReceiveAsync()
    {
        var buffer = new byte[256 * 1024];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    result = await _socket.ReceiveAsync(buffer.AsMemory(count), CancellationToken.None);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (_socket.State == WebSocketState.CloseReceived)
                    {
                        await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    return;
                }
                _received.Enqueue(JsonDocument.Parse(buffer.AsMemory(0, count)).RootElement.Clone());
            }
        }
        catch (Exception exception) when (exception is WebSocketException or ObjectDisposedException or OperationCanceledException)
        {
            // The connection is gone (aborted by either side); what was received stays in Received.
        }
    }
}
