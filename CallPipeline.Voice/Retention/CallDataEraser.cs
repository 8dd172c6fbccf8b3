using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Twilio.Rest;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Voice.Retention;

public enum RecordingErasure
{
    Erased,
    /// <summary>Erased before, or being erased by another replica right now.</summary>
    AlreadyErased,
    /// <summary>Twilio failed; nothing was marked, so the next sweep tries again.</summary>
    Failed,
}

/// <summary>
/// Deletes a call's recording and clears its text, for the retention sweep and for a caller's erasure request. Each
/// erasure is idempotent and safe to repeat after a crash: a recording is deleted at Twilio (a 404 means it already
/// was), then the gateway's copy (in Postgres, and its file if this machine has it), and only then marked erased, in one transaction holding the call's row
/// (<c>FOR UPDATE SKIP LOCKED</c>, so two replicas never both take it); a crash before the mark leaves it for the next
/// pass, whose delete at Twilio then answers 404. The call's metadata (numbers, times, statuses, the RecordingSid) stays.
/// </summary>
public sealed partial class CallDataEraser(CallPipelineDbContext db, TwilioCallsClient twilio, TimeProvider time, ILogger<CallDataEraser> logger)
{
    public async Task<(RecordingErasure Outcome, string? Problem)> EraseRecordingAsync(long callId, string by, CancellationToken cancellationToken)
    {
        try
        {
            return await db.InTransactionAsync(async ct =>
            {
                var call = await db.CallLogs
                    .FromSql($"SELECT * FROM call_logs WHERE id = {callId} AND recording_erased_at IS NULL FOR UPDATE SKIP LOCKED")
                    .SingleOrDefaultAsync(ct);
                if (call is null)
                {
                    return (RecordingErasure.AlreadyErased, (string?)null);
                }
                var atTwilio = call.RecordingSid is { } sid && await twilio.DeleteRecordingAsync(sid, ct);
                await StoredRecording.DeleteAsync(db, call.Id, ct);
                if (call.LocalRecordingPath is { } path && File.Exists(path))
                {
                    File.Delete(path);
                }
                var now = time.GetUtcNow();
                call.RecordingErasedAt = now;
                call.RecordingErasedBy = by;
                call.RecordingUrl = null;
                call.LocalRecordingPath = null;
                call.StoredRecordingBytes = null;
                call.UpdatedAt = now;
                await db.SaveChangesAsync(ct);
                LogRecordingErased(logger, call.CallSid, by, call.RecordingSid is null ? "none" : atTwilio ? "deleted" : "already gone");
                return (RecordingErasure.Erased, (string?)null);
            }, cancellationToken);
        }
        catch (TwilioApiException ex)
        {
            LogRecordingNotErased(logger, callId, ex.Message);
            return (RecordingErasure.Failed, ex.Message);
        }
    }

    /// <summary>
    /// Clears the transcripts, summary and extraction of the calls not cleared yet, and the webhook payloads that carry
    /// them; a delivery not sent yet is not sent at all. One statement each, in one transaction.
    /// </summary>
    /// <returns>How many calls were cleared now.</returns>
    public async Task<int> EraseTextAsync(IReadOnlyCollection<long> callIds, string by, CancellationToken cancellationToken)
    {
        var ids = callIds.ToArray();
        var now = time.GetUtcNow();
        var erased = await db.InTransactionAsync(async ct =>
        {
            var calls = await db.CallLogs.Where(c => ids.Contains(c.Id) && c.TextErasedAt == null).ExecuteUpdateAsync(set => set
                .SetProperty(c => c.RealtimeTranscript, (string?)null)
                .SetProperty(c => c.FinalTranscript, (string?)null)
                .SetProperty(c => c.TranscriptTurns, (List<TranscriptTurn>?)null)
                .SetProperty(c => c.SpeakerTranscript, (string?)null)
                .SetProperty(c => c.Summary, (string?)null)
                .SetProperty(c => c.ExtractedCity, (string?)null)
                .SetProperty(c => c.ExtractedService, (string?)null)
                .SetProperty(c => c.ExtractionConfidence, (double?)null)
                .SetProperty(c => c.CustomerName, (string?)null)
                .SetProperty(c => c.TextErasedAt, now)
                .SetProperty(c => c.TextErasedBy, by)
                .SetProperty(c => c.UpdatedAt, now), ct);
            await db.WebhookDeliveries.Where(d => ids.Contains(d.CallLogId) && d.Payload != Erasure.ErasedPayload).ExecuteUpdateAsync(set => set
                .SetProperty(d => d.Payload, Erasure.ErasedPayload)
                .SetProperty(d => d.LastError, d => d.Status == WebhookDeliveryStatus.Pending ? "not sent: the call's data was erased" : d.LastError)
                .SetProperty(d => d.Status, d => d.Status == WebhookDeliveryStatus.Pending ? WebhookDeliveryStatus.Disabled : d.Status)
                .SetProperty(d => d.UpdatedAt, now), ct);
            return calls;
        }, cancellationToken);
        if (erased > 0)
        {
            LogTextErased(logger, erased, by);
        }
        return erased;
    }

    [LoggerMessage(1, LogLevel.Information, "Recording of {CallSid} erased ({By}): at Twilio {AtTwilio}, the gateway's copy removed")]
    private static partial void LogRecordingErased(ILogger logger, string callSid, string by, string atTwilio);

    [LoggerMessage(2, LogLevel.Warning, "Recording of call {CallId} not erased, tried again by the next sweep: {Problem}")]
    private static partial void LogRecordingNotErased(ILogger logger, long callId, string problem);

    [LoggerMessage(3, LogLevel.Information, "Text of {Count} call(s) erased ({By}): transcripts, summary, extraction and webhook payloads")]
    private static partial void LogTextErased(ILogger logger, int count, string by);
}
