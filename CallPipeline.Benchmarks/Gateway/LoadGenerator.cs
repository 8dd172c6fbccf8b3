extern alias voice;

using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.Security;
using voice::CallPipeline.Voice.Telemetry;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// Twilio, as far as a gateway can tell: for each call a signed incoming-call webhook, a Media Stream that sends one
/// 160-byte mu-law frame every 20 ms by the clock (<see cref="FrameClock"/>, <see cref="FrameStream"/>), WebSocket
/// keep-alive pings about once a second, then <c>stop</c> and the signed <c>completed</c> status callback.
/// </summary>
public sealed class LoadGenerator(IGatewayTarget target) : IDisposable
{
    private const string Caller = "+972501234567";
    private static readonly TimeSpan CloseWait = TimeSpan.FromSeconds(30);
    /// <summary>A 400 Hz tone, the same 160 bytes in every frame.</summary>
    private static readonly string Payload = Convert.ToBase64String(Tone());

    /// <summary>The gateway's own frame-lag buckets; every lag and round trip here is counted in them.</summary>
    public static IReadOnlyList<double> LagBuckets => VoiceMetrics.FrameLagBuckets;

    private readonly HttpClient _webhooks = new(new SocketsHttpHandler { MaxConnectionsPerServer = 64 }) { Timeout = TimeSpan.FromSeconds(60) };
    private readonly HttpMessageInvoker _upgrades = new(new SocketsHttpHandler());
    private readonly FrameClock _clock = new();

    public async Task RunAsync(LevelRun run, LevelPlan plan, CancellationToken cancellationToken)
    {
        var epoch = Stopwatch.GetTimestamp();
        var spacing = plan.Ramp / run.Calls;
        var tasks = Enumerable.Range(0, run.Calls).Select(i => Task.Run(async () =>
        {
            var startAt = epoch + Ticks(spacing * i);
            await DelayUntilAsync(startAt, cancellationToken);
            await RunCallAsync(run, run.CallSids[i], startAt, startAt + Ticks(plan.CallDuration), cancellationToken);
        }, cancellationToken)).ToList();
        await Task.WhenAll(tasks);
    }

    public void Dispose()
    {
        _clock.Dispose();
        _webhooks.Dispose();
        _upgrades.Dispose();
    }

    public static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <summary>
    /// Timers count whole milliseconds, so the wait rounds up and a sub-millisecond wait does not return at once. The
    /// timer's clock is coarser than the <see cref="Stopwatch"/>, so a wake-up can still come a few milliseconds early,
    /// which the ramp and the hold do not mind.
    /// </summary>
    public static async Task DelayUntilAsync(long timestamp, CancellationToken cancellationToken)
    {
        var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), timestamp);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), cancellationToken);
        }
    }

    private async Task RunCallAsync(LevelRun run, string callSid, long startAt, long stopAt, CancellationToken cancellationToken)
    {
        var phase = "answer";
        try
        {
            var streamUrl = await AnswerAsync(callSid, cancellationToken);
            phase = "connect";
            var (socket, pings) = await ConnectAsync(streamUrl, run.PingRoundTrips, cancellationToken);
            using var disposeSocket = socket;
            var streamSid = "MZ" + RandomNumberGenerator.GetHexString(32, lowercase: true);
            var stopSent = false;
            var receiving = ReceiveUntilClosedAsync(socket, () => stopSent);
            phase = "stream";
            var sequence = 1;
            await SendAsync(socket, Encoding.UTF8.GetBytes("""{"event":"connected","protocol":"Call","version":"1.0.0"}"""), cancellationToken);
            await SendAsync(socket, Encoding.UTF8.GetBytes($$$"""
                {"event":"start","sequenceNumber":"{{{sequence++}}}","start":{"accountSid":"{{{target.Account.AccountSid}}}","streamSid":"{{{streamSid}}}","callSid":"{{{callSid}}}","tracks":["inbound"],"customParameters":{"CallSid":"{{{callSid}}}"},"mediaFormat":{"encoding":"audio/x-mulaw","sampleRate":8000,"channels":1}},"streamSid":"{{{streamSid}}}"}
                """), cancellationToken);
            run.StreamStarted(Stopwatch.GetElapsedTime(startAt));
            await _clock.StreamAsync(new FrameStream(run, socket, streamSid, Payload, sequence, stopAt, cancellationToken));

            phase = "stop";
            pings.StopTiming();
            stopSent = true;
            await SendAsync(socket, Encoding.UTF8.GetBytes($$$"""
                {"event":"stop","sequenceNumber":"0","stop":{"accountSid":"{{{target.Account.AccountSid}}}","callSid":"{{{callSid}}}"},"streamSid":"{{{streamSid}}}"}
                """), cancellationToken);
            phase = "close";
            if (await receiving.WaitAsync(CloseWait, cancellationToken) is { } unexpectedEnd)
            {
                run.Error(unexpectedEnd);
            }
            phase = "status callback";
            await StatusCallbackAsync(callSid, cancellationToken);
        }
        catch (Exception exception) when (exception is HttpRequestException or WebSocketException or TimeoutException or InvalidOperationException or IOException
            || (exception is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            run.Error(phase);
        }
    }

    /// <summary>Drains what the gateway sends (greeting, marks) until it closes; says how, when that was not the normal close after our stop.</summary>
    private static async Task<string?> ReceiveUntilClosedAsync(WebSocket socket, Func<bool> stopSent)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    if (socket.State == WebSocketState.CloseReceived)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", CancellationToken.None);
                    }
                    return !stopSent() ? $"closed before stop ({socket.CloseStatus})"
                        : socket.CloseStatus != WebSocketCloseStatus.NormalClosure ? $"closed with {socket.CloseStatus}"
                        : null;
                }
            }
        }
        catch (WebSocketException exception)
        {
            return $"connection lost ({exception.WebSocketErrorCode})";
        }
    }

    private async Task<string> AnswerAsync(string callSid, CancellationToken cancellationToken)
    {
        using var response = await PostSignedAsync("/twilio/voice/incoming", new Dictionary<string, string>
        {
            ["AccountSid"] = target.Account.AccountSid,
            ["CallSid"] = callSid,
            ["From"] = Caller,
            ["To"] = target.CalledNumber,
            ["Caller"] = Caller,
            ["Called"] = target.CalledNumber,
            ["CallStatus"] = "ringing",
            ["Direction"] = "inbound",
            ["ApiVersion"] = "2010-04-01",
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
        var twiml = XDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken));
        return twiml.Root?.Element("Connect")?.Element("Stream")?.Attribute("url")?.Value
            ?? throw new InvalidOperationException("The TwiML connects no stream.");
    }

    private async Task StatusCallbackAsync(string callSid, CancellationToken cancellationToken)
    {
        using var response = await PostSignedAsync("/twilio/voice/status", new Dictionary<string, string>
        {
            ["AccountSid"] = target.Account.AccountSid,
            ["CallSid"] = callSid,
            ["CallStatus"] = "completed",
            ["CallDuration"] = "30",
            ["SequenceNumber"] = "3",
            ["Direction"] = "inbound",
            ["From"] = Caller,
            ["To"] = target.CalledNumber,
            ["CallbackSource"] = "call-progress-events",
        }, cancellationToken);
        response.EnsureSuccessStatusCode();
    }

    /// <summary>Signed as Twilio signs: HMAC-SHA1 over the public URL and every form field, with the gateway's own code.</summary>
    private async Task<HttpResponseMessage> PostSignedAsync(string path, Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var url = new Uri(target.BaseUrl, path);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(target.Account.AuthToken, url.ToString(), form));
        return await _webhooks.SendAsync(request, cancellationToken);
    }

    /// <summary>
    /// The upgrade through HttpClient, then .NET's WebSocket over the connection with keep-alive pings each second,
    /// the connection watched by <see cref="PingTimingStream"/> to time each PONG.
    /// </summary>
    private async Task<(WebSocket Socket, PingTimingStream Pings)> ConnectAsync(string streamUrl, LagHistogram roundTrips, CancellationToken cancellationToken)
    {
        var key = Convert.ToBase64String(RandomNumberGenerator.GetBytes(16));
        using var request = new HttpRequestMessage(HttpMethod.Get, "http" + streamUrl[2..]) { Version = HttpVersion.Version11, VersionPolicy = HttpVersionPolicy.RequestVersionExact };
        request.Headers.Connection.Add("Upgrade");
        request.Headers.Upgrade.Add(new System.Net.Http.Headers.ProductHeaderValue("websocket"));
        request.Headers.Add("Sec-WebSocket-Version", "13");
        request.Headers.Add("Sec-WebSocket-Key", key);
        var response = await _upgrades.SendAsync(request, cancellationToken);
        var expected = Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));
        if (response.StatusCode != HttpStatusCode.SwitchingProtocols
            || !response.Headers.TryGetValues("Sec-WebSocket-Accept", out var accept) || accept.Single() != expected)
        {
            response.Dispose();
            throw new InvalidOperationException($"The stream upgrade was answered {(int)response.StatusCode}.");
        }
        var pings = new PingTimingStream(await response.Content.ReadAsStreamAsync(cancellationToken), roundTrips);
        return (WebSocket.CreateFromStream(pings, new WebSocketCreationOptions
        {
            IsServer = false,
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            KeepAliveTimeout = TimeSpan.FromSeconds(30),
        }), pings);
    }

    private static ValueTask SendAsync(WebSocket socket, byte[] message, CancellationToken cancellationToken) =>
        socket.SendAsync(message.AsMemory(), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private static byte[] Tone()
    {
        var pcm = Enumerable.Range(0, 160).Select(i => (short)(4000 * Math.Sin(2 * Math.PI * 400 * i / 8000))).ToArray();
        var muLaw = new byte[160];
        MuLaw.Encode(pcm, muLaw);
        return muLaw;
    }
}

/// <summary>What the generator saw during one level.</summary>
public sealed class LevelRun(int calls)
{
    private readonly ConcurrentDictionary<string, int> _errors = new();
    private long _framesSent;
    private int _streaming;

    public int Calls => calls;

    public IReadOnlyList<string> CallSids { get; } = [.. Enumerable.Range(0, calls).Select(_ => "CA" + RandomNumberGenerator.GetHexString(32, lowercase: true))];

    /// <summary>Media messages handed to the sockets so far; read while the level runs, for the frames of the hold.</summary>
    public long FramesSent => Interlocked.Read(ref _framesSent);

    public void FrameSent() => Interlocked.Increment(ref _framesSent);

    public LagHistogram PingRoundTrips { get; } = new(LoadGenerator.LagBuckets);

    /// <summary>How late the generator sent each frame against its due time: its own limit, apart from the server's.</summary>
    public LagHistogram GeneratorLateness { get; } = new(LoadGenerator.LagBuckets);

    /// <summary>
    /// From each call's planned start to its stream's first frame (the webhook answered, the socket upgraded, <c>start</c>
    /// sent): a call that streams late streams less of the hold, and "frames/s" below calls × 50 says so too.
    /// </summary>
    public LagHistogram CallSetup { get; } = new(LoadGenerator.LagBuckets);

    /// <summary>Calls whose stream has begun so far.</summary>
    public int Streaming => Volatile.Read(ref _streaming);

    public void StreamStarted(TimeSpan setup)
    {
        CallSetup.Record(setup.TotalMilliseconds);
        Interlocked.Increment(ref _streaming);
    }

    public int Errors => _errors.Values.Sum();

    public string ErrorKinds => string.Join(", ", _errors.OrderBy(e => e.Key).Select(e => $"{e.Key}: {e.Value}"));

    public void Error(string kind) => _errors.AddOrUpdate(kind, 1, (_, n) => n + 1);
}
