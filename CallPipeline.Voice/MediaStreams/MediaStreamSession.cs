using System.Diagnostics;
using System.Net.WebSockets;
using CallPipeline.Data.Tracing;
using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.MediaStreams;
using CallPipeline.Twilio.Validation;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Telemetry;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// The receive loop of one Twilio Media Stream: reads each message and hands it on. <c>start</c> goes to
/// <see cref="StreamAdmission"/> and, admitted, begins the <see cref="StreamCall"/> (recordings, conversation); media,
/// marks and DTMF go to the call; every ending finalizes it.
/// </summary>
/// <remarks>
/// The receive loop is the stream's heartbeat: WebSocket pings are answered only while it reads, and Twilio's audio
/// queues up behind anything it waits for. So it never waits on the database or the disk: the admission's claim runs
/// while the loop goes on reading, holding the frames that arrive meanwhile (up to <see cref="MaxHeldFrames"/>) for
/// the call once it is admitted; a media message is read in place into buffers the session owns; and the recording is
/// written by <see cref="RecordingFileWriter"/>. Under a ramp of call starts the claim took up to seconds, and every
/// stream's first frames and pings waited for it (docs/benchmarks.md).
/// </remarks>
public sealed partial class MediaStreamSession(
    MediaStreamSocket socket,
    string token,
    StreamAdmission admission,
    StreamCallFactory calls,
    VoiceMetrics metrics,
    TimeSpan startTimeout,
    ILogger<MediaStreamSession> logger)
{
    /// <summary>Twilio sends 20 ms (160 samples) a message; a larger payload takes the general, allocating path.</summary>
    private const int InPlaceSamples = 4 * StreamAudioOutput.FrameBytes;

    /// <summary>Frames held while the start is admitted: 5 s of audio (40 KiB); past it the loop waits for the admission.</summary>
    private const int MaxHeldFrames = 250;

    private const int AwaitingStart = 0;
    private const int Started = 1;
    private const int StartTimedOut = 2;

    private readonly byte[] _muLaw = new byte[InPlaceSamples];
    private readonly short[] _pcm = new short[InPlaceSamples];
    private readonly Queue<HeldFrame> _held = new();
    private Task<StreamAdmissionResult>? _admitting;
    private string? _callSid;
    private string? _startCallSid;
    private bool _refused;
    private StreamCall? _call;
    private long _streamClock;
    private int _startState;
    private int _ignoredMessages;

    /// <summary>The call this stream was admitted for, once it was.</summary>
    public string? CallSid => _callSid;

    public async Task RunAsync(CancellationToken aborted)
    {
        var end = "the stream ended";
        try
        {
            end = await ReceiveUntilEndAsync(aborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            end = "the connection was aborted";
        }
        catch (WebSocketException) when (Volatile.Read(ref _startState) == StartTimedOut)
        {
            end = "no start message arrived";
        }
        catch (WebSocketException exception)
        {
            // Twilio (or a network hop) dropping the connection is how many calls end; not an error.
            end = $"the connection closed ({exception.WebSocketErrorCode})";
        }
        catch (Exception exception)
        {
            LogSessionFailed(logger, _callSid, exception);
            _call?.Span.Fail(exception.GetType().Name);
            end = "the stream failed";
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "internal error");
        }
        finally
        {
            if (_admitting is { } admitting)
            {
                // The stream ended while its start was being admitted: a call it claimed is begun and finalized like any other.
                await AdmittedCallAsync(admitting);
            }
            if (_call is { } call)
            {
                // The receive loop's span context ended with it; the finalize belongs to the stream's span too.
                Activity.Current = call.Span;
                await call.FinalizeOnceAsync(end);
                call.Dispose();
            }
        }
    }

    /// <summary>Reads messages until stop, the peer's close, or a violation; returns how the stream ended.</summary>
    private async Task<string> ReceiveUntilEndAsync(CancellationToken aborted)
    {
        // The pending receive is never cancelled for the timeout (that aborts the socket without a close frame): the
        // timer sends the close, and the receive ends with the peer's answer.
        using var startTimeoutSource = new CancellationTokenSource(startTimeout);
        using var onStartTimeout = startTimeoutSource.Token.Register(() => _ = CloseForMissingStartAsync());
        IDisposable? callScope = null;
        try
        {
            while (true)
            {
                var (type, buffer, count, complete) = await ReceiveWhileAdmittingAsync(aborted);
                var message = buffer.AsMemory(0, count);
                try
                {
                    if (_callSid is not null && callScope is null)
                    {
                        // Begun here, not at admission, so it lasts for the rest of this loop.
                        callScope = CallLogScope.Begin(logger, _callSid);
                    }
                    if (type == WebSocketMessageType.Close)
                    {
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                        return _refused ? "the stream was refused"
                            : Volatile.Read(ref _startState) == StartTimedOut ? "no start message arrived"
                            : "Twilio closed the stream";
                    }
                    if (_refused)
                    {
                        // Our close is sent; what still arrives before the peer's is dropped.
                        continue;
                    }
                    if (!complete)
                    {
                        LogTooBig(logger, _callSid, socket.MaxMessageBytes);
                        await CloseAndAwaitPeerAsync(WebSocketCloseStatus.MessageTooBig, "message too big");
                        return "a message was too big";
                    }
                    if (type == WebSocketMessageType.Binary)
                    {
                        Ignore("a binary frame");
                        continue;
                    }
                    if (_admitting is { } admitting)
                    {
                        if (_held.Count < MaxHeldFrames && MediaStreamSerializer.TryReadMedia(message.Span, _muLaw, out var early))
                        {
                            Hold(early);
                            continue;
                        }
                        // Anything but a frame (stop, a mark), or the held frames are full: it waits for the admission.
                        await CompleteAdmissionAsync(admitting, aborted);
                        if (_refused)
                        {
                            continue;
                        }
                    }
                    if (_call is { } call && MediaStreamSerializer.TryReadMedia(message.Span, _muLaw, out var frame))
                    {
                        await OnMediaAsync(call, frame, aborted);
                        continue;
                    }
                    switch (await OnMessageAsync(message.Span.ToArray(), aborted))
                    {
                        case { } end:
                            return end;
                    }
                }
                finally
                {
                    socket.Return(buffer);
                }
            }
        }
        finally
        {
            callScope?.Dispose();
        }
    }

    /// <summary>Any message but a well-formed media frame: returns how the stream ended when it ends it.</summary>
    private async Task<string?> OnMessageAsync(byte[] utf8Json, CancellationToken aborted)
    {
        var message = MediaStreamSerializer.TryParse(utf8Json);
        if (message is null)
        {
            Ignore("malformed JSON");
            return null;
        }
        switch (message.Event)
        {
            case MediaStreamEvents.Connected:
                return null;
            case MediaStreamEvents.Start when _callSid is null:
                if (Interlocked.CompareExchange(ref _startState, Started, AwaitingStart) != AwaitingStart)
                {
                    return "no start message arrived";
                }
                _streamClock = Stopwatch.GetTimestamp();
                _startCallSid = message.Start?.CallSid;
                _admitting = admission.AdmitAsync(token, message, aborted);
                return null;
            case MediaStreamEvents.Stop when _call is not null:
                LogStopped(logger, _call.CallSid, _call.Recording.SampleFrames);
                await _call.FinalizeOnceAsync("Twilio sent stop");
                await CloseAndAwaitPeerAsync(WebSocketCloseStatus.NormalClosure, "stopped");
                return "Twilio sent stop";
            case MediaStreamEvents.Media when _call is not null:
                await OnGeneralMediaAsync(_call, message.Media, aborted);
                return null;
            case MediaStreamEvents.Mark when _call is not null:
                await _call.Conversation.OnMarkAsync(message.Mark?.Name ?? "", aborted);
                return null;
            case MediaStreamEvents.Dtmf when _call is not null:
                await _call.Conversation.OnDtmfAsync(message.Dtmf?.Digit ?? "", aborted);
                return null;
            default:
                Ignore(_callSid is null ? $"{Loggable(message.Event)} before start" : Loggable(message.Event));
                return null;
        }
    }

    /// <summary>
    /// The next message; while the start is being admitted, the admission's answer is taken as soon as it comes, even
    /// with no message arriving (a peer may wait for the call's greeting), and the receive stays pending meanwhile.
    /// Not async itself: a frame's receive costs no second state machine.
    /// </summary>
    private ValueTask<(WebSocketMessageType Type, byte[] Buffer, int Count, bool Complete)> ReceiveWhileAdmittingAsync(CancellationToken aborted)
    {
        var receiving = socket.ReceiveAsync(aborted);
        return _admitting is { } admitting && !receiving.IsCompleted ? ReceiveOrAdmitAsync(receiving.AsTask(), admitting, aborted) : receiving;
    }

    private async ValueTask<(WebSocketMessageType Type, byte[] Buffer, int Count, bool Complete)> ReceiveOrAdmitAsync(
        Task<(WebSocketMessageType Type, byte[] Buffer, int Count, bool Complete)> receive, Task<StreamAdmissionResult> admitting, CancellationToken aborted)
    {
        if (await Task.WhenAny(receive, admitting) == admitting)
        {
            await CompleteAdmissionAsync(admitting, aborted);
        }
        return await receive;
    }

    /// <summary>
    /// Takes the start's admission: admitted, begins the call and gives it the held frames in order; refused, sends the
    /// policy-violation close (the loop then reads until the peer's close, which may be pending already).
    /// </summary>
    private async Task CompleteAdmissionAsync(Task<StreamAdmissionResult> admitting, CancellationToken aborted)
    {
        _admitting = null;
        var admitted = await admitting;
        if (admitted.Stream is not { } stream)
        {
            _held.Clear();
            _refused = true;
            LogRefused(logger, LoggableCallSid(_startCallSid), admitted.Refusal!);
            _ = socket.CloseOrAbortAsync(WebSocketCloseStatus.PolicyViolation, admitted.Refusal!);
            return;
        }
        _callSid = stream.CallSid;
        _call = calls.Begin(stream, socket);
        while (_held.TryDequeue(out var held))
        {
            await OnHeldMediaAsync(_call, held, aborted);
        }
    }

    /// <summary>The stream ended before its admission was taken: a call it claimed still gets its begin and finalize.</summary>
    private async Task AdmittedCallAsync(Task<StreamAdmissionResult> admitting)
    {
        _admitting = null;
        _held.Clear();
        try
        {
            if ((await admitting).Stream is { } stream)
            {
                _callSid = stream.CallSid;
                _call = calls.Begin(stream, socket);
            }
        }
        catch (OperationCanceledException)
        {
            // Aborted before the claim was made: there is no call to finalize.
        }
        catch (Exception exception)
        {
            LogSessionFailed(logger, _startCallSid, exception);
        }
    }

    /// <summary>A frame read while the start is admitted: its lag is taken now, when it was read; its audio kept for the call.</summary>
    private void Hold(MediaFrame frame)
    {
        if (frame.Track == MediaTrack.Other)
        {
            return;
        }
        RecordFrameLag(frame.Timestamp);
        _held.Enqueue(new HeldFrame(_muLaw.AsSpan(0, frame.PayloadLength).ToArray(), frame.Timestamp));
    }

    private ValueTask OnHeldMediaAsync(StreamCall call, HeldFrame held, CancellationToken cancellationToken)
    {
        var pcm = _pcm.AsMemory(0, held.MuLaw.Length);
        MuLaw.Decode(held.MuLaw, pcm.Span);
        return call.OnCallerAudioAsync(pcm, held.Timestamp, cancellationToken);
    }

    /// <summary>The start timeout passed: a policy violation with a reason, sent while the receive is still pending.</summary>
    private async Task CloseForMissingStartAsync()
    {
        if (Interlocked.CompareExchange(ref _startState, StartTimedOut, AwaitingStart) != AwaitingStart)
        {
            return;
        }
        var seconds = startTimeout.TotalSeconds;
        LogNoStart(logger, seconds);
        if (!await socket.CloseOrAbortAsync(WebSocketCloseStatus.PolicyViolation, $"no start message within {seconds:0.#} s"))
        {
            LogAlreadyClosed(logger, _callSid, socket.State);
        }
    }

    /// <summary>A media frame read in place: its mu-law is in <see cref="_muLaw"/>.</summary>
    private ValueTask OnMediaAsync(StreamCall call, MediaFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Track == MediaTrack.Other)
        {
            return ValueTask.CompletedTask;
        }
        RecordFrameLag(frame.Timestamp);
        var pcm = _pcm.AsMemory(0, frame.PayloadLength);
        MuLaw.Decode(_muLaw.AsSpan(0, frame.PayloadLength), pcm.Span);
        return call.OnCallerAudioAsync(pcm, frame.Timestamp, cancellationToken);
    }

    /// <summary>A media message the in-place reader passed on (escaped JSON, an unusual size, a bad payload).</summary>
    private async ValueTask OnGeneralMediaAsync(StreamCall call, StreamMedia? media, CancellationToken cancellationToken)
    {
        if (media?.Payload is not { } payload || (media.Track is { } track && track != "inbound"))
        {
            return;
        }
        var muLaw = new byte[(payload.Length * 3 / 4) + 3];
        if (!Convert.TryFromBase64String(payload, muLaw, out var length))
        {
            Ignore("a media payload that is not base64");
            return;
        }
        RecordFrameLag(media.Timestamp);
        var pcm = new short[length];
        MuLaw.Decode(muLaw.AsSpan(0, length), pcm);
        await call.OnCallerAudioAsync(pcm, media.Timestamp, cancellationToken);
    }

    /// <summary>
    /// How far behind the call's clock this frame is read: now against the stream's start plus the frame's timestamp.
    /// The start is when <c>start</c> was read, moved earlier whenever a frame shows it was read late itself.
    /// </summary>
    private void RecordFrameLag(long? timestampMs)
    {
        if (timestampMs is not { } timestamp)
        {
            return;
        }
        var now = Stopwatch.GetTimestamp();
        var lag = Stopwatch.GetElapsedTime(_streamClock, now).TotalMilliseconds - timestamp;
        if (lag < 0)
        {
            _streamClock -= (long)(-lag * Stopwatch.Frequency / 1000);
            lag = 0;
        }
        metrics.FrameLag(lag);
    }

    private async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        if (!await socket.CloseAsync(status, description))
        {
            LogAlreadyClosed(logger, _callSid, socket.State);
        }
    }

    private async Task CloseAndAwaitPeerAsync(WebSocketCloseStatus status, string description)
    {
        if (!await socket.CloseAndAwaitPeerAsync(status, description))
        {
            LogAlreadyClosed(logger, _callSid, socket.State);
        }
    }

    /// <summary>The peer chooses the event's name: only Twilio's own names reach the log, anything else by its length.</summary>
    private static string Loggable(string? eventName) => eventName switch
    {
        MediaStreamEvents.Connected or MediaStreamEvents.Start or MediaStreamEvents.Media or MediaStreamEvents.Mark
            or MediaStreamEvents.Dtmf or MediaStreamEvents.Stop or MediaStreamEvents.Clear => $"event '{eventName}'",
        null => "a message without an event",
        _ => $"an unknown event ({eventName.Length} chars)",
    };

    /// <summary>A refused start's CallSid is the peer's too: logged when it looks like one, otherwise by its length.</summary>
    private static string? LoggableCallSid(string? callSid) =>
        callSid is null || TwilioSidFormat.IsValid(callSid, "CA")
            ? callSid
            : $"(not a call SID, {callSid.Length} chars)";

    private void Ignore(string what)
    {
        // The first few are worth a warning; a peer that keeps sending junk should not flood the log.
        if (Interlocked.Increment(ref _ignoredMessages) <= 3)
        {
            LogIgnored(logger, _callSid, what);
        }
    }

    private readonly record struct HeldFrame(byte[] MuLaw, long? Timestamp);

    [LoggerMessage(2, LogLevel.Warning, "Media stream refused for {CallSid}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? callSid, string reason);

    [LoggerMessage(3, LogLevel.Information, "Media stream of {CallSid} stopped by Twilio after {SampleFrames} samples")]
    private static partial void LogStopped(ILogger logger, string callSid, long sampleFrames);

    [LoggerMessage(6, LogLevel.Debug, "Media stream socket of {CallSid} already closed ({State})")]
    private static partial void LogAlreadyClosed(ILogger logger, string? callSid, WebSocketState state);

    [LoggerMessage(7, LogLevel.Warning, "Media stream of {CallSid}: ignored {What}")]
    private static partial void LogIgnored(ILogger logger, string? callSid, string what);

    [LoggerMessage(8, LogLevel.Warning, "Media stream of {CallSid}: a message over {MaxBytes} bytes; closing")]
    private static partial void LogTooBig(ILogger logger, string? callSid, int maxBytes);

    [LoggerMessage(9, LogLevel.Warning, "Media stream closed: no start message within {Seconds} s")]
    private static partial void LogNoStart(ILogger logger, double seconds);

    [LoggerMessage(11, LogLevel.Error, "Media stream of {CallSid} failed")]
    private static partial void LogSessionFailed(ILogger logger, string? callSid, Exception exception);
}
