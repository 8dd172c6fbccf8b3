using System.Diagnostics;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.RecordingJobs;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Outbox;
using CallPipeline.Voice.Telemetry;

namespace CallPipeline.Voice.Operator;

public enum ReprocessOutcome
{
    Queued,
    NotFound,
    /// <summary>Neither failed nor abandoned in processing: it is done, or on its way.</summary>
    NotReprocessable,
    /// <summary>No Twilio recording to process, or the call's data was erased.</summary>
    NoRecording,
}

/// <summary>
/// Gives a failed call another run of the worker once the operator has fixed the cause (an AI key, a full disk, a
/// dead-lettered job), and a call stuck in processing whose worker is gone (its lease expired) another run at once:
/// the call goes back to recorded and a new job is written to the outbox in the same transaction.
/// </summary>
public sealed partial class CallReprocessing(CallLogStore store, OutboxSignal outboxSignal, ILogger<CallReprocessing> logger)
{
    public async Task<(ReprocessOutcome Outcome, PipelineStatus? Status)> QueueAsync(string callSid, CancellationToken cancellationToken)
    {
        // The new run continues the call's trace, so the dashboard shows it beside the first one.
        using var span = CallTraces.StartForCall("reprocess call", callSid, await store.FindTraceAsync(callSid, cancellationToken));
        var result = await store.InTransactionAsync(async ct =>
        {
            var call = await store.FindAndLockAsync(callSid, ct);
            if (call is null)
            {
                return (ReprocessOutcome.NotFound, (PipelineStatus?)null);
            }
            var now = DateTimeOffset.UtcNow;
            if (call.PipelineStatus != PipelineStatus.Failed && !call.IsProcessingAbandoned(now))
            {
                return (ReprocessOutcome.NotReprocessable, call.PipelineStatus);
            }
            if (call.RecordingSid is null || call.ErasureRequestedAt is not null)
            {
                return (ReprocessOutcome.NoRecording, call.PipelineStatus);
            }

            store.AddOutboxMessage(Requeue(call, $"{call.RecordingSid}:reprocess:{now.ToUnixTimeMilliseconds()}", now));
            await store.SaveChangesAsync(ct);
            return (ReprocessOutcome.Queued, (PipelineStatus?)PipelineStatus.Recorded);
        }, cancellationToken);

        if (result.Item1 == ReprocessOutcome.Queued)
        {
            outboxSignal.Notify();
            LogQueued(logger, callSid);
        }
        return result;
    }

    /// <summary>
    /// The call back to recorded, and the new job's outbox row for the caller to add in its transaction (the call
    /// locked, with a RecordingSid). <paramref name="messageKey"/> is the run's own key: earlier jobs' outbox rows stay
    /// as their record.
    /// </summary>
    public static OutboxMessage Requeue(CallLog call, string messageKey, DateTimeOffset now)
    {
        call.PipelineStatus = PipelineStatus.Recorded;
        call.ErrorReason = null;
        call.ProcessingOwner = null;
        call.ProcessingLeaseExpiresAt = null;
        call.UpdatedAt = now;
        return new RecordingJob(call.CallSid, call.RecordingSid!).ToOutboxMessage(messageKey, now, TraceContext.Of(Activity.Current));
    }

    [LoggerMessage(1, LogLevel.Information, "Reprocessing of {CallSid} queued by the operator")]
    private static partial void LogQueued(ILogger logger, string callSid);
}
