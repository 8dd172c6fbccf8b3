using System.Text.Json;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Webhooks;
using CallPipeline.Webhooks.Dispatch;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step g: the results, pipeline status processed and the call-completed webhook delivery in one transaction. The call row is
/// locked first, so of two runs racing for the same call only one commits.
/// </summary>
public sealed partial class SaveResultStep(CallPipelineDbContext db, WebhookDispatchSignal dispatch, TimeProvider time, ILogger<SaveResultStep> logger)
{
    /// <returns>False when another run processed the call first; nothing is written then.</returns>
    public async Task<bool> RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var call = run.Call;
        // The call's changes were made by the steps before: they stay tracked through retries of the transaction.
        var saved = await db.InTransactionAsync(async ct =>
        {
            var current = await db.CallLogs
                .FromSql($"SELECT * FROM call_logs WHERE id = {call.Id} FOR UPDATE")
                .AsNoTracking()
                .Select(c => c.PipelineStatus)
                .SingleAsync(ct);
            if (current == PipelineStatus.Processed)
            {
                return false;
            }

            var now = time.GetUtcNow();
            call.PipelineStatus = PipelineStatus.Processed;
            call.ProcessedAt = now;
            call.UpdatedAt = now;
            call.ErrorReason = null;
            call.ProcessingOwner = null;
            call.ProcessingLeaseExpiresAt = null;
            call.StepTimings = JsonSerializer.Serialize(run.StepTimings);
            await CallWebhooks.AddDeliveryAsync(db, call, CallWebhooks.CallCompleted, ct);
            if (run.RecordingFromTwilio)
            {
                // Processed from Twilio's recording: the gateway's fallback copy has served its purpose. Without Twilio's
                // it is the call's only recording and stays until the recording's retention ends.
                await StoredRecording.DeleteAsync(db, call.Id, ct);
            }
            // Changes stay pending until the commit succeeds, so a retried transaction writes them all again.
            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            return true;
        }, cancellationToken, keepTrackedChanges: true);
        db.ChangeTracker.AcceptAllChanges();
        if (!saved)
        {
            return false;
        }
        // The webhook goes out now rather than at the dispatcher's next poll.
        dispatch.Notify();
        LogSaved(logger, call.CallSid, call.FinalTranscript?.Length ?? 0, SourceName(call.TranscriptSource ?? TranscriptSource.None));
        return true;
    }

    /// <summary>As stored and as the contract's log line reads it: recording, realtime or none.</summary>
    public static string SourceName(TranscriptSource source) => source.ToString().ToLowerInvariant();

    [LoggerMessage(LogLevel.Information, "Final transcript saved for {CallSid}: {Length} chars, source {Source}")]
    private static partial void LogSaved(ILogger logger, string callSid, int length, string source);
}
