using System.Diagnostics;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.RecordingJobs;
using CallPipeline.Voice.Calls;
using CallPipeline.Voice.Outbox;
using CallPipeline.Voice.Telemetry;
using CallPipeline.Webhooks;

namespace CallPipeline.Voice.Recordings;

/// <summary>
/// <c>POST /twilio/recording/status</c>. Saves the recording and, when it is complete, writes the processing job to the
/// outbox in the same transaction, so the job exists exactly when the data does, whether or not Redis is up.
/// </summary>
public sealed partial class RecordingStatusHandler(CallLogStore store, OutboxSignal outboxSignal, ILogger<RecordingStatusHandler> logger)
{
    private enum Outcome
    {
        Saved,
        JobQueued,
        JobAlreadyQueued,
        Missed,
        OtherRecording,
    }

    public async Task HandleAsync(TwilioRecordingForm form, CancellationToken cancellationToken)
    {
        using var callScope = CallLogScope.Begin(logger, form.CallSid);
        using var span = CallTraces.StartForCall("recording status", form.CallSid, await store.FindTraceAsync(form.CallSid, cancellationToken));
        span?.SetTag(TraceTags.RecordingSid, form.RecordingSid);
        var callTrace = CallTraces.ToEstablish(span);
        var now = DateTimeOffset.UtcNow;
        var (outcome, outboxId, existingSid) = await store.InTransactionAsync(async ct =>
        {
            var call = await store.UpsertAndLockAsync(form.CallSid, now, callTrace, ct);
            if (call.RecordingSid is { } existing && existing != form.RecordingSid)
            {
                return (Outcome.OtherRecording, 0L, existing);
            }

            call.RecordingSid = form.RecordingSid;
            if (!TwilioRecordingForm.IsFinal(call.RecordingStatus) || TwilioRecordingForm.IsFinal(form.RecordingStatus))
            {
                call.RecordingStatus = form.RecordingStatus;
            }
            call.RecordingUrl = form.RecordingUrl ?? call.RecordingUrl;
            call.RecordingDurationSeconds = form.RecordingDuration ?? call.RecordingDurationSeconds;
            call.RecordingChannels = form.RecordingChannels ?? call.RecordingChannels;
            call.UpdatedAt = now;

            var result = (Outcome.Saved, 0L, (string?)null);
            if (form.RecordingStatus == TwilioRecordingForm.Completed)
            {
                call.PipelineStatus = PipelineStatusRules.Advance(call.PipelineStatus, PipelineStatus.Recorded);
                var job = await store.FindOutboxMessageAsync(RecordingJob.Topic, form.RecordingSid, ct);
                if (job is null)
                {
                    job = new RecordingJob(form.CallSid, form.RecordingSid).ToOutboxMessage(form.RecordingSid, now, TraceContext.Of(Activity.Current));
                    store.AddOutboxMessage(job);
                    await store.SaveChangesAsync(ct);
                    return (Outcome.JobQueued, job.Id, null);
                }
                result = (Outcome.JobAlreadyQueued, job.Id, null);
            }
            else if (form.RecordingStatus is TwilioRecordingForm.Absent or "failed")
            {
                call.RecordingErrorCode = form.ErrorCode ?? call.RecordingErrorCode;
                if (PipelineStatusRules.IsGatewayStatus(call.PipelineStatus))
                {
                    call.PipelineStatus = PipelineStatus.Missed;
                    call.ErrorReason = $"Twilio recorded nothing ({form.RecordingStatus}, error code {form.ErrorCode ?? "none"})";
                    await store.AddWebhookDeliveryAsync(call, CallWebhooks.CallMissed, ct);
                    result = (Outcome.Missed, 0L, null);
                }
            }
            await store.SaveChangesAsync(ct);
            return result;
        }, cancellationToken);

        if (outcome == Outcome.OtherRecording)
        {
            LogOtherRecording(logger, form.CallSid, form.RecordingSid, form.RecordingStatus, existingSid!);
            return;
        }

        LogSidSaved(logger, form.CallSid, form.RecordingSid);
        switch (outcome)
        {
            case Outcome.JobQueued:
                LogJobEnqueued(logger, form.CallSid, form.RecordingSid, outboxId);
                outboxSignal.Notify();
                break;
            case Outcome.JobAlreadyQueued:
                LogJobAlreadyEnqueued(logger, form.CallSid, form.RecordingSid, outboxId);
                break;
            case Outcome.Missed:
                LogAbsent(logger, form.CallSid, form.RecordingSid, form.RecordingStatus, form.ErrorCode);
                break;
        }
    }

    [LoggerMessage(1, LogLevel.Information, "Recording sid saved for {CallSid} from callback: {RecordingSid}")]
    private static partial void LogSidSaved(ILogger logger, string callSid, string recordingSid);

    [LoggerMessage(2, LogLevel.Information, "Recording job enqueued for {CallSid}: {RecordingSid} as outbox message {OutboxId}")]
    private static partial void LogJobEnqueued(ILogger logger, string callSid, string recordingSid, long outboxId);

    [LoggerMessage(3, LogLevel.Information, "Recording job for {CallSid} already enqueued: {RecordingSid} as outbox message {OutboxId}")]
    private static partial void LogJobAlreadyEnqueued(ILogger logger, string callSid, string recordingSid, long outboxId);

    [LoggerMessage(4, LogLevel.Warning, "Recording {RecordingSid} of {CallSid} is {RecordingStatus} (error code {ErrorCode}): call marked missed")]
    private static partial void LogAbsent(ILogger logger, string callSid, string recordingSid, string recordingStatus, string? errorCode);

    [LoggerMessage(5, LogLevel.Warning, "Recording callback for {CallSid} ignored: {RecordingSid} ({RecordingStatus}) is not the call's recording {ExistingRecordingSid}")]
    private static partial void LogOtherRecording(ILogger logger, string callSid, string recordingSid, string recordingStatus, string existingRecordingSid);
}
