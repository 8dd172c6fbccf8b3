using System.Diagnostics;
using System.Net.WebSockets;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Twilio.Audio;
using CallPipeline.Twilio.MediaStreams;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Conversation;
using CallPipeline.Voice.Telemetry;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// One Twilio Media Stream: admits it against the per-call token, records both directions to a WAV file, starts the
/// Twilio recording, lets the conversation talk, and finalizes the call exactly once however the stream ends.
/// </summary>
public sealed partial class MediaStreamSession(WebSocket socket, string token, MediaStreamHandler shared) : ICallAudioOutput
{
    public const int FrameBytes = 160;
    private static readonly TimeSpan RecordingStartWait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan FinalizeTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = shared.SessionLogger;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly CancellationTokenSource _conversationStop = new();
    private string? _callSid;
    private string? _streamSid;
    private DateTimeOffset _callStartedAt;
    private StereoWavRecorder? _wav;
    /// <summary>The stream's span in the call's trace, from the admitted start to the finalize.</summary>
    private Activity? _span;
    private ICallConversation? _conversation;
    private Task<string?>? _recording;
    private Task? _conversationStart;
    private int _finalized;
    private int _ignoredMessages;

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
        var buffer = new byte[shared.Options.MaxMessageBytes];
        // Kept apart from the linked token: aborting the socket on timeout also fires RequestAborted.
        using var startTimeout = new CancellationTokenSource(shared.Options.StartTimeout);
        using var startDeadline = CancellationTokenSource.CreateLinkedTokenSource(aborted, startTimeout.Token);
        IDisposable? callScope = null;
        try
        {
            while (true)
            {
                int count;
                try
                {
                    var (type, received, complete) = await ReceiveMessageAsync(buffer, _callSid is null ? startDeadline.Token : aborted);
                    if (type == WebSocketMessageType.Close)
                    {
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, "bye");
                        return "Twilio closed the stream";
                    }
                    if (!complete)
                    {
                        LogTooBig(_logger, _callSid, buffer.Length);
                        await CloseAsync(WebSocketCloseStatus.MessageTooBig, "message too big");
                        return "a message was too big";
                    }
                    if (type == WebSocketMessageType.Binary)
                    {
                        Ignore("a binary frame");
                        continue;
                    }
                    count = received;
                }
                catch (Exception) when (startTimeout.IsCancellationRequested && _callSid is null)
                {
                    // Cancelling a pending receive aborts the socket; depending on timing that surfaces as one exception or another.
                    LogNoStart(_logger, shared.Options.StartTimeout.TotalSeconds);
                    return "no start message arrived";
                }

                var message = MediaStreamSerializer.TryParse(buffer.AsSpan(0, count));
                if (message is null)
                {
                    Ignore("malformed JSON");
                    continue;
                }

                switch (message.Event)
                {
                    case MediaStreamEvents.Connected:
                        break;
                    case MediaStreamEvents.Start when _callSid is null:
                        var (refusal, call) = await AdmitAsync(message, aborted);
                        if (call is null)
                        {
                            LogRefused(_logger, message.Start?.CallSid, refusal!);
                            await CloseAsync(WebSocketCloseStatus.PolicyViolation, refusal!);
                            return "the stream was refused";
                        }
                        // Set here, not in AdmitAsync, so they last for the rest of this loop and the recording and
                        // conversation started below run in the call's trace.
                        callScope = CallLogScope.Begin(_logger, _callSid!);
                        _span = CallTraces.StartForCall("media stream", _callSid!, call.GetTrace());
                        _span?.SetTag(TraceTags.StreamSid, _streamSid);
                        BeginCall(call, message.Start!);
                        break;
                    case MediaStreamEvents.Stop when _callSid is not null:
                        LogStopped(_logger, _callSid, _wav?.SampleFrames ?? 0);
                        await FinalizeOnceAsync("Twilio sent stop");
                        await CloseAsync(WebSocketCloseStatus.NormalClosure, "stopped");
                        return "Twilio sent stop";
                    case MediaStreamEvents.Media when _callSid is not null:
                        await OnMediaAsync(message.Media, aborted);
                        break;
                    case MediaStreamEvents.Mark when _conversation is not null:
                        await _conversation.OnMarkAsync(message.Mark?.Name ?? "", aborted);
                        break;
                    case MediaStreamEvents.Dtmf when _conversation is not null:
                        await _conversation.OnDtmfAsync(message.Dtmf?.Digit ?? "", aborted);
                        break;
                    default:
                        Ignore(_callSid is null ? $"'{message.Event}' before start" : $"event '{message.Event}'");
                        break;
                }
            }
        }
        finally
        {
            callScope?.Dispose();
        }
    }

    /// <summary>One whole message, or as much as fits when it is larger than the buffer (complete is then false).</summary>
    private async Task<(WebSocketMessageType Type, int Count, bool Complete)> ReceiveMessageAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (result.MessageType, 0, true);
            }
            count += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, count, true);
            }
            if (count == buffer.Length)
            {
                return (result.MessageType, count, false);
            }
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
        // Claiming the call is one atomic UPDATE: a second stream with the same token (a replay) finds it taken.
        var claimed = await db.CallLogs
            .Where(c => c.CallSid == callSid && c.BusinessId != null && c.PipelineStatus != PipelineStatus.Rejected
                && c.StreamFinalizedAt == null && (c.MediaStreamSid == null || c.MediaStreamSid == streamSid))
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
        _callStartedAt = call.StartedAt;
        return (null, call);
    }

    /// <summary>Opens the local recording and starts Twilio's recording and the conversation of an admitted stream.</summary>
    private void BeginCall(CallLog call, StreamStart start)
    {
        var (callSid, streamSid) = (_callSid!, _streamSid!);
        _wav = new StereoWavRecorder(Path.Combine(shared.Options.RecordingsPath, $"{callSid}.wav"));
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

    private async Task OnMediaAsync(StreamMedia? media, CancellationToken cancellationToken)
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
        var pcm = new short[length];
        MuLaw.Decode(muLaw.AsSpan(0, length), pcm);
        _wav!.WriteInbound(pcm, media.Timestamp);
        await _conversation!.OnCallerAudioAsync(pcm, cancellationToken);
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
        // Null when the local recording could not be opened; the call still finalizes, without it.
        _wav?.Complete();
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
            new StreamFinalization(callSid, streamSid, endedAt, duration, recordingSid, _wav?.Path, transcript), timeout.Token);
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
