using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// Writes the end of a media stream to its call log exactly once: one UPDATE guarded by
/// <c>stream_finalized_at IS NULL</c>, so stop, close, error and abort may all arrive, in any order and at the same
/// time, and only the first one counts. Values already set by Twilio's callbacks (end time, duration, RecordingSid)
/// are kept.
/// </summary>
public sealed partial class CallFinalizer(IServiceScopeFactory scopes, RecordingStoreQueue recordingStore, ILogger<CallFinalizer> logger)
{
    /// <summary>True when this call finalized the stream; false when it had been finalized already.</summary>
    public async Task<bool> FinalizeAsync(StreamFinalization stream, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        var updated = await db.CallLogs
            .Where(c => c.CallSid == stream.CallSid && c.StreamFinalizedAt == null && c.MediaStreamSid == stream.StreamSid)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.StreamFinalizedAt, stream.EndedAt)
                .SetProperty(c => c.EndedAt, c => c.EndedAt ?? stream.EndedAt)
                .SetProperty(c => c.DurationSeconds, c => c.DurationSeconds ?? stream.DurationSeconds)
                .SetProperty(c => c.RecordingSid, c => c.RecordingSid ?? stream.RecordingSid)
                .SetProperty(c => c.LocalRecordingPath, stream.LocalRecordingPath)
                .SetProperty(c => c.RealtimeTranscript, c => stream.RealtimeTranscript ?? c.RealtimeTranscript)
                .SetProperty(c => c.PipelineStatus, c =>
                    c.PipelineStatus == PipelineStatus.Received || c.PipelineStatus == PipelineStatus.InProgress ? PipelineStatus.Ended : c.PipelineStatus)
                .SetProperty(c => c.UpdatedAt, stream.EndedAt),
                cancellationToken);
        if (updated == 0)
        {
            LogAlreadyFinalized(logger, stream.CallSid);
            return false;
        }

        var (callId, recordingSid) = await db.CallLogs.Where(c => c.CallSid == stream.CallSid)
            .Select(c => new ValueTuple<long, string?>(c.Id, c.RecordingSid))
            .SingleAsync(cancellationToken);
        if (recordingSid is null)
        {
            LogNoRecordingSid(logger, stream.CallSid);
        }
        else
        {
            LogRecordingSidSaved(logger, stream.CallSid, recordingSid);
        }
        LogFinalized(logger, stream.CallSid, stream.DurationSeconds, stream.RealtimeTranscript?.Length ?? 0);
        if (stream.LocalRecordingPath is { } path)
        {
            await StoreRecordingAsync(callId, stream.CallSid, path);
        }
        return true;
    }

    /// <summary>
    /// Moves the gateway's recording from its temporary folder into Postgres, where a worker on any replica finds it,
    /// and deletes the file (<see cref="RecordingStoreQueue"/>). Should Postgres refuse, the file and its path stay: a
    /// worker on this machine can still use it.
    /// </summary>
    private async Task StoreRecordingAsync(long callId, string callSid, string path)
    {
        try
        {
            LogRecordingStored(logger, callSid, await recordingStore.StoreAsync(callId, path));
        }
        catch (Exception exception)
        {
            LogRecordingNotStored(logger, callSid, exception.GetType().Name);
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Recording sid saved for {CallSid} at finalize: {RecordingSid}")]
    private static partial void LogRecordingSidSaved(ILogger logger, string callSid, string recordingSid);

    [LoggerMessage(2, LogLevel.Warning, "No Twilio recording for {CallSid} at finalize; the local recording is the only audio")]
    private static partial void LogNoRecordingSid(ILogger logger, string callSid);

    [LoggerMessage(3, LogLevel.Information, "Call {CallSid} finalized: {DurationSeconds} s, realtime transcript {TranscriptLength} chars")]
    private static partial void LogFinalized(ILogger logger, string callSid, int durationSeconds, int transcriptLength);

    [LoggerMessage(5, LogLevel.Information, "Local recording of {CallSid} stored in Postgres: {Bytes} bytes; the temporary file is removed")]
    private static partial void LogRecordingStored(ILogger logger, string callSid, long bytes);

    [LoggerMessage(6, LogLevel.Warning, "Local recording of {CallSid} not stored in Postgres ({Error}); it stays in the gateway's folder only")]
    private static partial void LogRecordingNotStored(ILogger logger, string callSid, string error);

    [LoggerMessage(4, LogLevel.Debug, "Stream of {CallSid} already finalized")]
    private static partial void LogAlreadyFinalized(ILogger logger, string callSid);
}
