using System.Diagnostics;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// The call behind an admitted stream: its span in the call's trace (from the admitted start to the finalize), its
/// recordings and its conversation. Finalizes the call exactly once, whichever ending reaches it first.
/// </summary>
public sealed partial class StreamCall(
    AdmittedStream stream, Activity? span, StreamRecording recording, StreamConversation conversation, CallFinalizer finalizer, ILogger logger) : IDisposable
{
    private static readonly TimeSpan FinalizeTimeout = TimeSpan.FromSeconds(30);

    private int _finalized;

    public string CallSid => stream.CallSid;

    public Activity? Span => span;

    public StreamRecording Recording => recording;

    public StreamConversation Conversation => conversation;

    /// <summary>
    /// The caller's audio into the recording and the conversation. Returns the conversation's task as is: no state
    /// machine per frame.
    /// </summary>
    public ValueTask OnCallerAudioAsync(ReadOnlyMemory<short> pcm, long? timestampMs, CancellationToken cancellationToken)
    {
        recording.WriteInbound(pcm.Span, timestampMs);
        return conversation.OnCallerAudioAsync(pcm, cancellationToken);
    }

    /// <summary>Finalizes the call the first time any ending reaches it; later endings do nothing.</summary>
    public async Task FinalizeOnceAsync(string end)
    {
        if (Interlocked.Exchange(ref _finalized, 1) == 1)
        {
            LogAlreadyEnded(logger, stream.CallSid, end);
            return;
        }

        await conversation.StopAsync();
        var (localPath, recordingSid) = await recording.CompleteAsync();
        var transcript = await conversation.EndAsync();

        var endedAt = DateTimeOffset.UtcNow;
        var duration = (int)Math.Max(0, Math.Round((endedAt - stream.Call.StartedAt).TotalSeconds));
        LogEnding(logger, stream.CallSid, end, recording.SampleFrames);
        using var timeout = new CancellationTokenSource(FinalizeTimeout);
        await finalizer.FinalizeAsync(
            new StreamFinalization(stream.CallSid, stream.StreamSid, endedAt, duration, recordingSid, localPath, transcript), timeout.Token);
    }

    public void Dispose()
    {
        conversation.Dispose();
        span?.Dispose();
    }

    [LoggerMessage(1, LogLevel.Information, "Media stream of {CallSid} ended ({End}); local recording {SampleFrames} samples")]
    private static partial void LogEnding(ILogger logger, string callSid, string end, long sampleFrames);

    [LoggerMessage(2, LogLevel.Debug, "Media stream of {CallSid} already finalized; {End} changes nothing")]
    private static partial void LogAlreadyEnded(ILogger logger, string callSid, string end);
}
