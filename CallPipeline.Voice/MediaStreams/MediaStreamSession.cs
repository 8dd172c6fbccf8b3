using System.Buffers;
using System.Diagnostics;
using System.Net.WebSockets;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.MediaStreams;
using CallPipeline.Twilio.Validation;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Conversation;
using CallPipeline.Voice.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// One Twilio Media Stream: admits it against the per-call token, records both directions to a WAV file, starts the
/// Twilio recording, lets the conversation talk, and finalizes the call exactly once however the stream ends.
/// </summary>
/// <remarks>
/// The receive loop is the stream's heartbeat: WebSocket pings are answered only while it reads, and Twilio's audio
/// queues up behind anything it waits for. So after admission it never waits on the database or the disk; a media
/// message is read in place into buffers the session owns, and the recording is written by
/// <see cref="RecordingFileWriter"/>.
/// </remarks>
public sealed partial class MediaStreamSession(WebSocket socket, string token, MediaStreamHandler shared) : ICallAudioOutput
{
    public const int FrameBytes = 160;
    /// <summary>Room for any message Twilio sends in a call (a media message is about 400 bytes); larger ones borrow a pooled buffer.</summary>
    private const int ReceiveBufferBytes = 2048;
    /// <summary>Twilio sends 20 ms (160 samples) a message; a larger payload takes the general, allocating path.</summary>
    private const int InPlaceSamples = 4 * FrameBytes;
    private static readonly TimeSpan RecordingStartWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FinalizeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = shared.SessionLogger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _conversationStop = new();
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferBytes];
    private readonly byte[] _muLaw = new byte[InPlaceSamples];
    private readonly short[] _pcm = new short[InPlaceSamples];
    private string? _callSid;
    private string? _streamSid;
    private DateTimeOffset _callStartedAt;
    private long _streamClock;
    private StereoWavRecorder? _wav;
    /// <summary>The stream's span in the call's trace, from the admitted start to the finalize.</summary>
    private Activity? _span;
    private ICallConversation? _conversation;
    private Task<string?>? _recording;
    private Task? _conversationStart;
    private int _startState;
    private int _finalized;
    private int _ignoredMessages;

    private const int AwaitingStart = 0;
    private const int Started = 1;
    private const int StartTimedOut = 2;

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
            LogSessionFailed(_logger, _callSid, exception);
            _span.Fail(exception.GetType().Name);
            end = "the stream failed";
            await CloseAsync(WebSocketCloseStatus.InternalServerError, "internal error");
        }
        finally
        {
            if (_span is not null)
            {
                // The receive loop's span context ended with it; the finalize belongs to the stream's span too.
                Activity.Current = _span;
            }
            await FinalizeOnceAsync(end);
            _conversationStop.Dispose();
            _span?.Dispose();
        }
    }

    public async ValueTask SendAudioAsync(ReadOnlyMemory<byte> muLaw, CancellationToken cancellationToken)
    {
        if (_streamSid is not { } streamSid)
        {
            return;
        }
        var pcm = new short[FrameBytes];
        for (var offset = 0; offset < muLaw.Length; offset += FrameBytes)
        {
            var frame = muLaw.Slice(offset, Math.Min(FrameBytes, muLaw.Length - offset));
            if (!await SendAsync(MediaStreamSerializer.Media(streamSid, frame.Span), cancellationToken))
            {
                return;
            }
            MuLaw.Decode(frame.Span, pcm.AsSpan(0, frame.Length));
            _wav?.QueueOutbound(pcm.AsSpan(0, frame.Length));
        }
    }

    public async ValueTask SendMarkAsync(string name, CancellationToken cancellationToken)
    {
        if (_streamSid is { } streamSid)
        {
            await SendAsync(MediaStreamSerializer.Mark(streamSid, name), cancellationToken);
        }
    }

    public async ValueTask ClearAsync(CancellationToken cancellationToken)
    {
        if (_streamSid is { } streamSid)
        {
            _wav?.ClearOutbound();
            await SendAsync(MediaStreamSerializer.Clear(streamSid), cancellationToken);
        }
    }

    /// <summary>Reads messages until stop, the peer's close, or a violation; returns how the stream ended.</summary>
    private async Task<string> ReceiveUntilEndAsync(CancellationToken aborted)
    {
        // The pending receive is never cancelled for the timeout (that aborts the socket without a close frame): the
        // timer sends the close, and the receive ends with the peer's answer.
        using var startTimeout = new CancellationTokenSource(shared.Options.StartTimeout);
        using var onStartTimeout = startTimeout.Token.Register(() => _ = CloseForMissingStartAsync());
        IDisposable? callScope = null;
        try
        {
            while (true)
            {
                var (type, buffer, count, complete) = await ReceiveMessageAsync(aborted);
                var message = buffer.AsMemory(0, count);
                try
                {
                    if (type == WebSocketMessageType.Close)
                    {
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                        return Volatile.Read(ref _startState) == StartTimedOut ? "no start message arrived" : "Twilio closed the stream";
                    }
                    if (!complete)
                    {
                        LogTooBig(_logger, _callSid, shared.Options.MaxMessageBytes);
                        await CloseAndAwaitPeerAsync(WebSocketCloseStatus.MessageTooBig, "message too big");
                        return "a message was too big";
                    }
                    if (type == WebSocketMessageType.Binary)
                    {
                        Ignore("a binary frame");
                        continue;
                    }
                    if (_callSid is not null && MediaStreamSerializer.TryReadMedia(message.Span, _muLaw, out var frame))
                    {
                        await OnMediaAsync(frame, aborted);
                        continue;
                    }
                    switch (await OnMessageAsync(message.Span.ToArray(), aborted))
                    {
                        case { } end:
                            return end;
                    }
                    if (_callSid is not null && callScope is null)
                    {
                        // Begun here, not in AdmitAsync, so it lasts for the rest of this loop.
                        callScope = CallLogScope.Begin(_logger, _callSid);
                    }
                }
                finally
                {
                    ReturnMessageBuffer(buffer);
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
                var (refusal, call) = await AdmitAsync(message, aborted);
                if (call is null)
                {
                    LogRefused(_logger, LoggableCallSid(message.Start?.CallSid), refusal!);
                    await CloseAndAwaitPeerAsync(WebSocketCloseStatus.PolicyViolation, refusal!);
                    return "the stream was refused";
                }
                // Begun before the recording and the conversation start, so they run in the call's trace.
                _span = CallTraces.StartForCall("media stream", _callSid!, call.GetTrace());
                _span?.SetTag(TraceTags.StreamSid, _streamSid);
                BeginCall(call, message.Start!);
                return null;
            case MediaStreamEvents.Stop when _callSid is not null:
                LogStopped(_logger, _callSid, _wav?.SampleFrames ?? 0);
                await FinalizeOnceAsync("Twilio sent stop");
                await CloseAndAwaitPeerAsync(WebSocketCloseStatus.NormalClosure, "stopped");
                return "Twilio sent stop";
            case MediaStreamEvents.Media when _callSid is not null:
                await OnGeneralMediaAsync(message.Media, aborted);
                return null;
            case MediaStreamEvents.Mark when _conversation is not null:
                await _conversation.OnMarkAsync(message.Mark?.Name ?? "", aborted);
                return null;
            case MediaStreamEvents.Dtmf when _conversation is not null:
                await _conversation.OnDtmfAsync(message.Dtmf?.Digit ?? "", aborted);
                return null;
            default:
                Ignore(_callSid is null ? $"{Loggable(message.Event)} before start" : Loggable(message.Event));
                return null;
        }
    }

    /// <summary>
    /// One whole message, or as much as fits in <c>Voice:MaxMessageBytes</c> (complete is then false). Messages larger
    /// than the session's own buffer go to a pooled one, given back by <see cref="ReturnMessageBuffer"/>.
    /// </summary>
    private async ValueTask<(WebSocketMessageType Type, byte[] Buffer, int Count, bool Complete)> ReceiveMessageAsync(CancellationToken cancellationToken)
    {
        var buffer = _receiveBuffer;
        var limit = Math.Min(buffer.Length, shared.Options.MaxMessageBytes);
        var count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count, limit - count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                ReturnMessageBuffer(buffer);
                return (result.MessageType, _receiveBuffer, 0, true);
            }
            count += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer, count, true);
            }
            if (count == limit)
            {
                if (limit == shared.Options.MaxMessageBytes)
                {
                    return (result.MessageType, buffer, count, false);
                }
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(shared.Options.MaxMessageBytes, limit * 4));
                buffer.AsSpan(0, count).CopyTo(larger);
                ReturnMessageBuffer(buffer);
                buffer = larger;
                limit = Math.Min(larger.Length, shared.Options.MaxMessageBytes);
            }
        }
    }

    private void ReturnMessageBuffer(byte[] buffer)
    {
        if (!ReferenceEquals(buffer, _receiveBuffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>The start timeout passed: a policy violation with a reason, sent while the receive is still pending.</summary>
    private async Task CloseForMissingStartAsync()
    {
        if (Interlocked.CompareExchange(ref _startState, StartTimedOut, AwaitingStart) != AwaitingStart)
        {
            return;
        }
        var seconds = shared.Options.StartTimeout.TotalSeconds;
        LogNoStart(_logger, seconds);
        await CloseAsync(WebSocketCloseStatus.PolicyViolation, $"no start message within {seconds:0.#} s");
        // A peer that never answers the close is cut off; the pending receive then ends with an exception.
        await Task.Delay(CloseTimeout);
        if (socket.State != WebSocketState.Closed)
        {
            socket.Abort();
        }
    }

    /// <summary>Binds the stream to its call and returns the call, or says why not.</summary>
    private async Task<(string? Refusal, CallLog? Call)> AdmitAsync(MediaStreamMessage message, CancellationToken cancellationToken)
    {
        var start = message.Start;
        var callSid = start?.CallSid;
        var streamSid = start?.StreamSid ?? message.StreamSid;
        if (callSid is null || streamSid is null || streamSid.Length > 64 || !callSid.All(char.IsAsciiLetterOrDigit))
        {
            return ("start has no valid callSid or streamSid", null);
        }
        if (!shared.Tokens.IsValid(token, callSid))
        {
            return ("the stream token was not issued for this call", null);
        }
        if (!string.IsNullOrEmpty(shared.Twilio.AccountSid) && start!.AccountSid != shared.Twilio.AccountSid)
        {
            return ("the stream belongs to another Twilio account", null);
        }

        await using var scope = shared.Scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        var now = DateTimeOffset.UtcNow;
        // Claiming the call is one atomic UPDATE: a second socket on the same token, whatever streamSid it gives, finds
        // the call taken, so there is one stream, one Twilio recording and one WAV per call.
        var claimed = await db.CallLogs
            .Where(c => c.CallSid == callSid && c.BusinessId != null && c.PipelineStatus != PipelineStatus.Rejected
                && c.StreamFinalizedAt == null && c.MediaStreamSid == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.MediaStreamSid, streamSid)
                .SetProperty(c => c.PipelineStatus, c => c.PipelineStatus == PipelineStatus.Received ? PipelineStatus.InProgress : c.PipelineStatus)
                .SetProperty(c => c.UpdatedAt, now),
                cancellationToken);
        var call = await db.CallLogs.AsNoTracking().SingleOrDefaultAsync(c => c.CallSid == callSid, cancellationToken);
        if (claimed == 0 || call is null)
        {
            return (call switch
            {
                null => "no such call",
                { BusinessId: null } or { PipelineStatus: PipelineStatus.Rejected } => "the call was not answered by this gateway",
                { StreamFinalizedAt: not null } => "the call's stream already ended (token reused)",
                _ => "another stream is attached to the call",
            }, null);
        }

        _callSid = callSid;
        _streamSid = streamSid;
        shared.Capacity.Streaming(callSid);
        _callStartedAt = call.StartedAt;
        return (null, call);
    }

    /// <summary>Opens the local recording and starts Twilio's recording and the conversation of an admitted stream.</summary>
    private void BeginCall(CallLog call, StreamStart start)
    {
        var (callSid, streamSid) = (_callSid!, _streamSid!);
        _wav = new StereoWavRecorder(Path.Combine(shared.Options.RecordingsPath, $"{callSid}.wav"), shared.RecordingWriter);
        LogStarted(_logger, callSid, streamSid, string.Join(',', start.Tracks ?? []));

        _recording = StartRecordingAsync(callSid);
        _conversation = shared.Conversations.Create(new CallConversationContext(
            callSid, streamSid, call.BusinessId!.Value, call.Direction, start.CustomParameters ?? new Dictionary<string, string>()));
        _conversationStart = StartConversationAsync(_conversation);
    }

    private async Task<string?> StartRecordingAsync(string callSid)
    {
        // Not tied to the connection: a caller hanging up at once must not leave a started recording unsaved.
        using var timeout = new CancellationTokenSource(FinalizeTimeout);
        return await shared.RecordingStarter.EnsureRecordingAsync(callSid, timeout.Token);
    }

    private async Task StartConversationAsync(ICallConversation conversation)
    {
        try
        {
            await conversation.StartAsync(this, _conversationStop.Token);
        }
        catch (OperationCanceledException) when (_conversationStop.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogConversationFailed(_logger, _callSid, exception);
        }
    }

    /// <summary>A media frame read in place: its mu-law is in <see cref="_muLaw"/>.</summary>
    private async ValueTask OnMediaAsync(MediaFrame frame, CancellationToken cancellationToken)
    {
        if (frame.Track == MediaTrack.Other)
        {
            return;
        }
        RecordFrameLag(frame.Timestamp);
        var pcm = _pcm.AsMemory(0, frame.PayloadLength);
        MuLaw.Decode(_muLaw.AsSpan(0, frame.PayloadLength), pcm.Span);
        _wav!.WriteInbound(pcm.Span, frame.Timestamp);
        await _conversation!.OnCallerAudioAsync(pcm, cancellationToken);
    }

    /// <summary>A media message the in-place reader passed on (escaped JSON, an unusual size, a bad payload).</summary>
    private async ValueTask OnGeneralMediaAsync(StreamMedia? media, CancellationToken cancellationToken)
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
        _wav!.WriteInbound(pcm, media.Timestamp);
        await _conversation!.OnCallerAudioAsync(pcm, cancellationToken);
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
        shared.Metrics.FrameLag(lag);
    }

    /// <summary>Finalizes the call the first time any ending reaches it; later endings do nothing.</summary>
    private async Task FinalizeOnceAsync(string end)
    {
        if (_callSid is not { } callSid || _streamSid is not { } streamSid)
        {
            return;
        }
        if (Interlocked.Exchange(ref _finalized, 1) == 1)
        {
            LogAlreadyEnded(_logger, callSid, end);
            return;
        }

        await _conversationStop.CancelAsync();
        // False when the local recording could not be written; the call still finalizes, without it.
        var recorded = _wav is not null && await _wav.CompleteAsync();
        string? recordingSid = null;
        try
        {
            recordingSid = await _recording!.WaitAsync(RecordingStartWait);
        }
        catch (TimeoutException)
        {
            LogRecordingStartSlow(_logger, callSid);
        }
        catch (Exception exception)
        {
            LogRecordingStartFailed(_logger, callSid, exception);
        }
        if (_conversationStart is not null)
        {
            await _conversationStart;
        }
        var transcript = _conversation!.RealtimeTranscript;
        await _conversation.DisposeAsync();

        var endedAt = DateTimeOffset.UtcNow;
        var duration = (int)Math.Max(0, Math.Round((endedAt - _callStartedAt).TotalSeconds));
        LogEnding(_logger, callSid, end, _wav?.SampleFrames ?? 0);
        using var timeout = new CancellationTokenSource(FinalizeTimeout);
        await shared.Finalizer.FinalizeAsync(
            new StreamFinalization(callSid, streamSid, endedAt, duration, recordingSid, recorded ? _wav!.Path : null, transcript), timeout.Token);
    }

    private async Task<bool> SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                return false;
            }
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (WebSocketException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Our close, then the peer's: reads (and drops) what still arrives until its close frame, for at most the close
    /// timeout. Ending the request straight after our close would close the connection under unread data, and the
    /// reset that follows can reach the peer before our close frame does. Called from the receive loop only.
    /// </summary>
    private async Task CloseAndAwaitPeerAsync(WebSocketCloseStatus status, string description)
    {
        await CloseAsync(status, description);
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(_receiveBuffer.AsMemory(), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return;
                }
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            LogAlreadyClosed(_logger, _callSid, socket.State);
        }
    }

    /// <summary>Sends our close frame if the socket still allows it; a socket already closed or aborted is left alone.</summary>
    private async Task CloseAsync(WebSocketCloseStatus status, string description)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseTimeout);
                await socket.CloseOutputAsync(status, description, timeout.Token);
            }
            else
            {
                LogAlreadyClosed(_logger, _callSid, socket.State);
            }
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            LogAlreadyClosed(_logger, _callSid, socket.State);
        }
        finally
        {
            _sendLock.Release();
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
            LogIgnored(_logger, _callSid, what);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Media stream {StreamSid} started for {CallSid} (tracks {Tracks})")]
    private static partial void LogStarted(ILogger logger, string callSid, string streamSid, string tracks);

    [LoggerMessage(2, LogLevel.Warning, "Media stream refused for {CallSid}: {Reason}")]
    private static partial void LogRefused(ILogger logger, string? callSid, string reason);

    [LoggerMessage(3, LogLevel.Information, "Media stream of {CallSid} stopped by Twilio after {SampleFrames} samples")]
    private static partial void LogStopped(ILogger logger, string callSid, long sampleFrames);

    [LoggerMessage(4, LogLevel.Information, "Media stream of {CallSid} ended ({End}); local recording {SampleFrames} samples")]
    private static partial void LogEnding(ILogger logger, string callSid, string end, long sampleFrames);

    [LoggerMessage(5, LogLevel.Debug, "Media stream of {CallSid} already finalized; {End} changes nothing")]
    private static partial void LogAlreadyEnded(ILogger logger, string callSid, string end);

    [LoggerMessage(6, LogLevel.Debug, "Media stream socket of {CallSid} already closed ({State})")]
    private static partial void LogAlreadyClosed(ILogger logger, string? callSid, WebSocketState state);

    [LoggerMessage(7, LogLevel.Warning, "Media stream of {CallSid}: ignored {What}")]
    private static partial void LogIgnored(ILogger logger, string? callSid, string what);

    [LoggerMessage(8, LogLevel.Warning, "Media stream of {CallSid}: a message over {MaxBytes} bytes; closing")]
    private static partial void LogTooBig(ILogger logger, string? callSid, int maxBytes);

    [LoggerMessage(9, LogLevel.Warning, "Media stream closed: no start message within {Seconds} s")]
    private static partial void LogNoStart(ILogger logger, double seconds);

    [LoggerMessage(10, LogLevel.Warning, "Recording start for {CallSid} still pending at finalize; its callback will save the sid")]
    private static partial void LogRecordingStartSlow(ILogger logger, string callSid);

    [LoggerMessage(13, LogLevel.Warning, "Recording start for {CallSid} failed; its callback may still save the sid")]
    private static partial void LogRecordingStartFailed(ILogger logger, string callSid, Exception exception);

    [LoggerMessage(11, LogLevel.Error, "Media stream of {CallSid} failed")]
    private static partial void LogSessionFailed(ILogger logger, string? callSid, Exception exception);

    [LoggerMessage(12, LogLevel.Warning, "Conversation of {CallSid} failed; the stream keeps recording")]
    private static partial void LogConversationFailed(ILogger logger, string? callSid, Exception exception);
}
