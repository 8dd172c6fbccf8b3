using CallPipeline.Voice.Conversation;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// Hosts one call's <see cref="ICallConversation"/>: starts it beside the receive loop (a failing conversation is logged
/// and the stream keeps recording), passes it the caller's audio and events, and at the end stops it and keeps its
/// realtime transcript.
/// </summary>
public sealed partial class StreamConversation : IDisposable
{
    private readonly string _callSid;
    private readonly ICallConversation _conversation;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _started;

    private StreamConversation(string callSid, ICallConversation conversation, ICallAudioOutput output, ILogger logger)
    {
        _callSid = callSid;
        _conversation = conversation;
        _logger = logger;
        _started = RunStartAsync(output);
    }

    public static StreamConversation Start(string callSid, ICallConversation conversation, ICallAudioOutput output, ILogger logger) =>
        new(callSid, conversation, output, logger);

    /// <summary>The caller's PCM in a buffer the session reuses: valid until the returned task completes.</summary>
    public ValueTask OnCallerAudioAsync(ReadOnlyMemory<short> pcm, CancellationToken cancellationToken) =>
        _conversation.OnCallerAudioAsync(pcm, cancellationToken);

    public ValueTask OnMarkAsync(string name, CancellationToken cancellationToken) => _conversation.OnMarkAsync(name, cancellationToken);

    public ValueTask OnDtmfAsync(string digit, CancellationToken cancellationToken) => _conversation.OnDtmfAsync(digit, cancellationToken);

    /// <summary>Tells the conversation to stop talking; <see cref="EndAsync"/> then waits for it.</summary>
    public Task StopAsync() => _stop.CancelAsync();

    /// <summary>Waits for the conversation's start to end, disposes it and returns its realtime transcript.</summary>
    public async Task<string?> EndAsync()
    {
        await _started;
        var transcript = _conversation.RealtimeTranscript;
        await _conversation.DisposeAsync();
        return transcript;
    }

    public void Dispose() => _stop.Dispose();

    private async Task RunStartAsync(ICallAudioOutput output)
    {
        try
        {
            await _conversation.StartAsync(output, _stop.Token);
        }
        catch (OperationCanceledException) when (_stop.IsCancellationRequested)
        {
        }
        catch (Exception exception)
        {
            LogConversationFailed(_logger, _callSid, exception);
        }
    }

    [LoggerMessage(1, LogLevel.Warning, "Conversation of {CallSid} failed; the stream keeps recording")]
    private static partial void LogConversationFailed(ILogger logger, string callSid, Exception exception);
}
