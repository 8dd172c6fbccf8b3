using CallPipeline.Data.Entities;
using CallPipeline.Voice.Telemetry;
using CallPipeline.Webhooks;

namespace CallPipeline.Voice.Calls;

/// <summary>
/// <c>POST /twilio/voice/status</c>. Twilio may repeat callbacks and deliver them out of order: a callback applies only
/// when its SequenceNumber is newer and its status is not earlier than the one recorded, and the pipeline's own status
/// only moves forward.
/// </summary>
public sealed partial class CallStatusHandler(CallLogStore store, BusinessDirectory directory, ILogger<CallStatusHandler> logger)
{
    public async Task HandleAsync(TwilioCallForm form, CancellationToken cancellationToken)
    {
        using var callScope = CallLogScope.Begin(logger, form.CallSid);
        using var span = CallTraces.StartForCall("call status", form.CallSid, await store.FindTraceAsync(form.CallSid, cancellationToken));
        var callTrace = CallTraces.ToEstablish(span);
        var now = DateTimeOffset.UtcNow;
        var direction = CallDirections.Normalize(form.Direction);
        // A call we never answered (an outbound call nobody picked up) is first heard of here.
        var known = await store.ExistsAsync(form.CallSid, cancellationToken);
        var lookup = known ? null : await directory.FindByNumberAsync(direction == CallDirection.Outbound ? form.From : form.To, cancellationToken);

        var outcome = await store.InTransactionAsync(async ct =>
        {
            var call = await store.UpsertAndLockAsync(form.CallSid, now, callTrace, ct);
            if (!known)
            {
                call.Direction = direction;
                call.TwilioDirection = form.Direction;
                call.FromNumber = form.From;
                call.ToNumber = form.To;
                call.ParentCallSid = form.ParentCallSid;
                call.BusinessId = lookup?.Business?.Id;
            }

            var status = form.CallStatus;
            if (status is null || !IsNewer(call, form))
            {
                return (call, Applied: false, Missed: false);
            }

            call.CallStatus = status;
            call.CallStatusSequence = form.SequenceNumber ?? call.CallStatusSequence;
            call.CallStatusAt = form.Timestamp ?? now;
            if (TwilioCallStatuses.IsTerminal(status))
            {
                call.EndedAt ??= form.Timestamp ?? now;
                call.DurationSeconds = form.CallDuration ?? call.DurationSeconds;
            }

            var missed = false;
            if (status == TwilioCallStatuses.InProgress)
            {
                call.PipelineStatus = PipelineStatusRules.Advance(call.PipelineStatus, PipelineStatus.InProgress);
            }
            else if (status == TwilioCallStatuses.Completed)
            {
                call.PipelineStatus = PipelineStatusRules.Advance(call.PipelineStatus, PipelineStatus.Ended);
            }
            else if (TwilioCallStatuses.IsUnanswered(status) && call.RecordingSid is null && PipelineStatusRules.IsGatewayStatus(call.PipelineStatus))
            {
                call.PipelineStatus = PipelineStatus.Missed;
                await store.AddWebhookDeliveryAsync(call, CallWebhooks.CallMissed, ct);
                missed = true;
            }
            call.UpdatedAt = now;
            await store.SaveChangesAsync(ct);
            return (call, Applied: true, Missed: missed);
        }, cancellationToken);

        if (!outcome.Applied)
        {
            LogIgnored(logger, form.CallSid, form.CallStatus, form.SequenceNumber, outcome.call.CallStatus, outcome.call.CallStatusSequence);
            return;
        }
        LogApplied(logger, form.CallSid, form.CallStatus!, form.SequenceNumber, outcome.call.PipelineStatus);
        if (outcome.Missed)
        {
            LogMissed(logger, form.CallSid, form.CallStatus!);
        }
    }

    private static bool IsNewer(CallLog call, TwilioCallForm form)
    {
        if (form.SequenceNumber is { } sequence && call.CallStatusSequence is { } applied && sequence <= applied)
        {
            return false;
        }
        // Without (or despite) sequence numbers, a status never goes back: ringing after completed is a late callback.
        if (call.CallStatus is { } current && TwilioCallStatuses.IsTerminal(current))
        {
            return false;
        }
        return TwilioCallStatuses.Rank(form.CallStatus) >= TwilioCallStatuses.Rank(call.CallStatus);
    }

    [LoggerMessage(1, LogLevel.Information, "Call status {CallStatus} (sequence {SequenceNumber}) applied to {CallSid}; pipeline status {PipelineStatus}")]
    private static partial void LogApplied(ILogger logger, string callSid, string callStatus, int? sequenceNumber, PipelineStatus pipelineStatus);

    [LoggerMessage(2, LogLevel.Information, "Call status {CallStatus} (sequence {SequenceNumber}) for {CallSid} ignored: already {CurrentStatus} (sequence {CurrentSequence})")]
    private static partial void LogIgnored(ILogger logger, string callSid, string? callStatus, int? sequenceNumber, string? currentStatus, int? currentSequence);

    [LoggerMessage(3, LogLevel.Information, "Call {CallSid} missed ({CallStatus}): no recording, call.missed webhook queued if the business has one")]
    private static partial void LogMissed(ILogger logger, string callSid, string callStatus);
}
