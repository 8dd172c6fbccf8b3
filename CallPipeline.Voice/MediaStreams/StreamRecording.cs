using CallPipeline.Voice.Recordings;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// The recordings of one admitted stream: the local WAV (<see cref="StereoWavRecorder"/>, caller left, what the
/// gateway played right) and Twilio's dual-channel recording, started when the stream is.
/// </summary>
public sealed partial class StreamRecording
{
    private static readonly TimeSpan TwilioStartTimeout = TimeSpan.FromSeconds(30);
    /// <summary>How long the end of the stream waits for a Twilio recording start still under way.</summary>
    private static readonly TimeSpan TwilioStartWait = TimeSpan.FromSeconds(5);

    private readonly string _callSid;
    private readonly StereoWavRecorder _wav;
    private readonly Task<string?> _twilioRecording;
    private readonly ILogger _logger;

    private StreamRecording(string callSid, StereoWavRecorder wav, RecordingStarter starter, ILogger logger)
    {
        _callSid = callSid;
        _wav = wav;
        _logger = logger;
        _twilioRecording = StartTwilioRecordingAsync(starter, callSid);
    }

    /// <summary>Opens <c>{recordingsPath}/{CallSid}.wav</c> and asks Twilio to record the call unless it already does.</summary>
    public static StreamRecording Start(string callSid, string recordingsPath, RecordingFileWriter writer, RecordingStarter starter, ILogger logger) =>
        new(callSid, new StereoWavRecorder(Path.Combine(recordingsPath, $"{callSid}.wav"), writer), starter, logger);

    /// <summary>Samples recorded per channel so far.</summary>
    public long SampleFrames => _wav.SampleFrames;

    /// <summary>The caller's audio, in memory until a chunk is full; never waits on the disk.</summary>
    public void WriteInbound(ReadOnlySpan<short> pcm, long? timestampMs) => _wav.WriteInbound(pcm, timestampMs);

    /// <summary>What the gateway sent, played against the caller's frames.</summary>
    public void QueueOutbound(ReadOnlySpan<short> pcm) => _wav.QueueOutbound(pcm);

    /// <summary>Twilio was told to drop what it still had to play.</summary>
    public void ClearOutbound() => _wav.ClearOutbound();

    /// <summary>
    /// Completes the local file and waits a little for Twilio's RecordingSid: the local path, null when the file could
    /// not be written (the call still finalizes, without it); and the sid, null when Twilio refused or has not answered
    /// yet (its callback then saves it).
    /// </summary>
    public async Task<(string? LocalPath, string? RecordingSid)> CompleteAsync()
    {
        var recorded = await _wav.CompleteAsync();
        string? recordingSid = null;
        try
        {
            recordingSid = await _twilioRecording.WaitAsync(TwilioStartWait);
        }
        catch (TimeoutException)
        {
            LogTwilioStartSlow(_logger, _callSid);
        }
        catch (Exception exception)
        {
            LogTwilioStartFailed(_logger, _callSid, exception);
        }
        return (recorded ? _wav.Path : null, recordingSid);
    }

    private static async Task<string?> StartTwilioRecordingAsync(RecordingStarter starter, string callSid)
    {
        // Not tied to the connection: a caller hanging up at once must not leave a started recording unsaved.
        using var timeout = new CancellationTokenSource(TwilioStartTimeout);
        return await starter.EnsureRecordingAsync(callSid, timeout.Token);
    }

    [LoggerMessage(1, LogLevel.Warning, "Recording start for {CallSid} still pending at finalize; its callback will save the sid")]
    private static partial void LogTwilioStartSlow(ILogger logger, string callSid);

    [LoggerMessage(2, LogLevel.Warning, "Recording start for {CallSid} failed; its callback may still save the sid")]
    private static partial void LogTwilioStartFailed(ILogger logger, string callSid, Exception exception);
}
