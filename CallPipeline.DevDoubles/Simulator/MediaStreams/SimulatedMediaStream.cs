using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using CallPipeline.DevDoubles.Simulator.Twiml;
using CallPipeline.DevDoubles.Twilio;
using CallPipeline.DevDoubles.Twilio.Calls;
using CallPipeline.DevDoubles.Twilio.Recordings;
using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.Security;

namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>
/// Twilio's side of one bidirectional Media Stream: opens the WebSocket to the &lt;Stream&gt; url (signed), sends
/// connected and start, 20 ms mu-law frames of the caller paced on a clock, plays the gateway's media back (echoing
/// marks, honouring clear), records both sides into the call's recording, and ends with stop and a normal close.
/// A scripted conversation's line side is played into the outbound channel beside the gateway's media: it stands in
/// for the agent a gateway would carry (the gateway's own conversation only plays a chime).
/// </summary>
public sealed partial class SimulatedMediaStream(
    SimulatedCall call,
    ConnectStream stream,
    TrackScript caller,
    TrackScript line,
    SimulatorOptions options,
    string authToken,
    ILogger logger)
{
    private const int FrameMilliseconds = 20;
    private const int MaxMessageBytes = 1 << 20;

    private readonly OutboundPlayback _playback = new();
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly string _streamSid = TwilioSid.NewStream();
    private ClientWebSocket? _socket;
    private int _sequenceNumber;
    private long _framesSent;

    /// <summary>The stream frame the recording's first sample frame came from; null when nothing was recorded.</summary>
    public long? RecordedFromFrame { get; private set; }

    /// <summary>How much call time the stream carried (frames sent × 20 ms).</summary>
    public TimeSpan CallTime => TimeSpan.FromMilliseconds(_framesSent * FrameMilliseconds);

    public MediaStreamCounters Counters { get; } = new();

    public async Task<StreamEnding> RunAsync(CancellationToken cancellationToken)
    {
        using var socket = new ClientWebSocket();
        _socket = socket;
        // Twilio signs the upgrade over the <Stream> url as written (wss scheme), with no parameters.
        socket.Options.SetRequestHeader(TwilioSignature.HeaderName, TwilioSignature.Compute(authToken, stream.Url.OriginalString, []));
        try
        {
            using var connectTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            connectTimeout.CancelAfter(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(stream.Url, connectTimeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
        {
            call.Fail($"31920 Stream - WebSocket - Handshake Error: {ex.Message}");
            LogHandshakeFailed(logger, call.CallSid, stream.Url.GetLeftPart(UriPartial.Path), ex.Message);
            return StreamEnding.HandshakeFailed;
        }

        call.StreamSid = _streamSid;
        call.Record("stream-connected", _streamSid);
        var receiving = ReceiveAsync(cancellationToken);
        var opened = await TrySendAsync(MediaStreamMessages.Connected(), cancellationToken)
            && await TrySendAsync(MediaStreamMessages.Start(NextSequenceNumber(), call.AccountSid, call.CallSid, _streamSid, stream.Parameters), cancellationToken);
        var ending = opened ? await SendFramesAsync(receiving, cancellationToken) : StreamEnding.GatewayClosed;
        await FinishAsync(receiving, ending);
        call.Record("stream-stopped", ending.ToString());
        LogStreamEnded(logger, call.CallSid, _streamSid, ending, _framesSent);
        return ending;
    }

    private async Task<StreamEnding> SendFramesAsync(Task receiving, CancellationToken cancellationToken)
    {
        var callerFrame = new byte[TrackScript.FrameBytes];
        var gatewayFrame = new byte[TrackScript.FrameBytes];
        var lineFrame = new byte[TrackScript.FrameBytes];
        var callerPcm = new short[TrackScript.FrameBytes];
        var gatewayPcm = new short[TrackScript.FrameBytes];
        var linePcm = new short[TrackScript.FrameBytes];
        var maxFrames = (long)(options.MaxCallDuration.TotalMilliseconds / FrameMilliseconds);
        var clock = Stopwatch.StartNew();
        var frameInterval = FrameMilliseconds / Math.Max(options.Speed, 0.01);
        while (true)
        {
            if (call.HangUpRequested.IsCancellationRequested)
            {
                return StreamEnding.HungUpThroughApi;
            }
            if (receiving.IsCompleted)
            {
                return StreamEnding.GatewayClosed;
            }
            if (caller.IsFinished && line.IsFinished)
            {
                return StreamEnding.CallerHungUp;
            }
            if (_framesSent >= maxFrames)
            {
                return StreamEnding.MaxDurationReached;
            }

            var digit = caller.Next(callerFrame, _framesSent, _playback.HasPlayedAudio && _playback.IsIdle);
            line.Next(lineFrame, _framesSent, greetingHeard: false);
            var chunk = (int)_framesSent + 1;
            var sent = await TrySendAsync(MediaStreamMessages.Media(NextSequenceNumber(), _streamSid, chunk, _framesSent * FrameMilliseconds, callerFrame), cancellationToken)
                && (digit is not { } pressed || await TrySendAsync(MediaStreamMessages.Dtmf(NextSequenceNumber(), _streamSid, pressed), cancellationToken));
            if (!sent)
            {
                return StreamEnding.GatewayClosed;
            }
            Counters.FrameSent();

            foreach (var mark in _playback.Play(gatewayFrame))
            {
                await EchoMarkAsync(mark, cancellationToken);
            }
            if (call.Recording is { IsRecording: true } recording)
            {
                MuLaw.Decode(callerFrame, callerPcm);
                MuLaw.Decode(gatewayFrame, gatewayPcm);
                MuLaw.Decode(lineFrame, linePcm);
                for (var i = 0; i < gatewayPcm.Length; i++)
                {
                    gatewayPcm[i] = RecordingWavWriter.Mix(gatewayPcm[i], linePcm[i]);
                }
                recording.WriteFrame(callerPcm, gatewayPcm);
                RecordedFromFrame ??= _framesSent;
            }
            _framesSent++;

            // Pace on the clock, not on delays, so frames do not drift; a faster Speed shortens the interval.
            var due = TimeSpan.FromMilliseconds(_framesSent * frameInterval) - clock.Elapsed;
            if (due > TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(due, cancellationToken);
            }
        }
    }

    private async Task ReceiveAsync(CancellationToken cancellationToken)
    {
        var socket = _socket!;
        var buffer = new ArrayBufferWriter<byte>();
        try
        {
            while (socket.State == WebSocketState.Open)
            {
                var result = await socket.ReceiveAsync(buffer.GetMemory(4096), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
                buffer.Advance(result.Count);
                if (buffer.WrittenCount > MaxMessageBytes)
                {
                    call.Record("stream-error", "31924 message too large");
                    buffer.Clear();
                    continue;
                }
                if (!result.EndOfMessage)
                {
                    continue;
                }
                if (result.MessageType == WebSocketMessageType.Binary)
                {
                    // Twilio error 31950: binary frames are not allowed.
                    call.Record("stream-error", "31950 binary frame ignored");
                }
                else
                {
                    await HandleGatewayMessageAsync(buffer.WrittenSpan.ToArray(), cancellationToken);
                }
                buffer.Clear();
            }
        }
        catch (WebSocketException)
        {
            // The gateway dropped the connection without a close handshake; the call ends like a closed stream.
        }
        catch (OperationCanceledException)
        {
            // The double is stopping, or the socket was aborted after a close that never completed.
        }
    }

    private async Task HandleGatewayMessageAsync(byte[] message, CancellationToken cancellationToken)
    {
        try
        {
            using var document = JsonDocument.Parse(message);
            var root = document.RootElement;
            switch (root.TryGetProperty("event", out var kind) ? kind.GetString() : null)
            {
                case "media":
                    _playback.Enqueue(Convert.FromBase64String(root.GetProperty("media").GetProperty("payload").GetString() ?? ""));
                    Counters.MediaArrived();
                    break;
                case "mark":
                    var name = root.GetProperty("mark").GetProperty("name").GetString() ?? "";
                    Counters.MarkArrived();
                    if (_playback.AddMark(name))
                    {
                        await EchoMarkAsync(name, cancellationToken);
                    }
                    break;
                case "clear":
                    Counters.Cleared();
                    foreach (var pending in _playback.Clear())
                    {
                        await EchoMarkAsync(pending, cancellationToken);
                    }
                    break;
                default:
                    call.Record("stream-error", "31924 unknown message ignored");
                    break;
            }
        }
        catch (Exception ex) when (ex is JsonException or KeyNotFoundException or InvalidOperationException or FormatException)
        {
            // Twilio error 31924: the message is invalid; Twilio drops it and the stream goes on.
            call.Record("stream-error", "31924 invalid message ignored");
        }
    }

    private async Task EchoMarkAsync(string name, CancellationToken cancellationToken)
    {
        if (await TrySendAsync(MediaStreamMessages.Mark(NextSequenceNumber(), _streamSid, name), cancellationToken))
        {
            Counters.MarkEchoed();
        }
    }

    /// <summary>Sends stop while the socket is open, then closes it normally and waits (bounded) for the gateway's close.</summary>
    private async Task FinishAsync(Task receiving, StreamEnding ending)
    {
        var socket = _socket!;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            if (ending != StreamEnding.GatewayClosed)
            {
                await TrySendAsync(MediaStreamMessages.Stop(NextSequenceNumber(), call.AccountSid, call.CallSid, _streamSid), timeout.Token);
            }
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                await _sendLock.WaitAsync(timeout.Token);
                try
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "call ended", timeout.Token);
                }
                finally
                {
                    _sendLock.Release();
                }
            }
            await receiving.WaitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or TimeoutException)
        {
            socket.Abort();
        }
    }

    private async Task<bool> TrySendAsync(string message, CancellationToken cancellationToken)
    {
        var socket = _socket!;
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                return false;
            }
            await socket.SendAsync(Encoding.UTF8.GetBytes(message), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (WebSocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The receive saw the gateway drop the connection and aborted the socket under this send: the stream is
            // closed, as above, and the call ends normally (left unhandled, the call broke off and never ended).
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    private int NextSequenceNumber() => Interlocked.Increment(ref _sequenceNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio double: Media Stream handshake for {CallSid} to {Url} failed (31920): {Reason}")]
    private static partial void LogHandshakeFailed(ILogger logger, string callSid, string url, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: Media Stream {StreamSid} of {CallSid} ended ({Ending}) after {Frames} frames")]
    private static partial void LogStreamEnded(ILogger logger, string callSid, string streamSid, StreamEnding ending, long frames);
}
