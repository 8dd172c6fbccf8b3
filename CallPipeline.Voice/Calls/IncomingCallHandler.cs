using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Twilio.TwiML;
using CallPipeline.Twilio.Validation;
using CallPipeline.Voice.Telemetry;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Calls;

/// <summary>The answer of <c>POST /twilio/voice/incoming</c>: which business, the call log, and the TwiML.</summary>
public sealed partial class IncomingCallHandler(
    CallLogStore store,
    BusinessDirectory directory,
    MediaStreamTokens tokens,
    CallCapacity capacity,
    VoiceMetrics metrics,
    IOptions<VoiceOptions> options,
    IOptions<TwilioWebhookOptions> publicUrl,
    ILogger<IncomingCallHandler> logger)
{
    public async Task<string> HandleAsync(TwilioCallForm form, CancellationToken cancellationToken)
    {
        using var callScope = CallLogScope.Begin(logger, form.CallSid);
        using var span = CallTraces.StartForCall("incoming call", form.CallSid, await store.FindTraceAsync(form.CallSid, cancellationToken));
        var callTrace = CallTraces.ToEstablish(span);
        var direction = CallDirections.Normalize(form.Direction);
        // An outbound call placed through the REST API fetches this same TwiML; the business's number is then the caller.
        var businessNumber = direction == CallDirection.Outbound ? form.From : form.To;
        var lookup = await directory.FindByNumberAsync(businessNumber, cancellationToken);
        var busy = lookup.Business is not null && !capacity.TryReserve(form.CallSid);
        var now = DateTimeOffset.UtcNow;

        var call = await store.InTransactionAsync(async ct =>
        {
            var call = await store.UpsertAndLockAsync(form.CallSid, now, callTrace, ct);
            call.Direction = direction;
            call.TwilioDirection = form.Direction ?? call.TwilioDirection;
            call.FromNumber = form.From ?? call.FromNumber;
            call.ToNumber = form.To ?? call.ToNumber;
            call.ParentCallSid = form.ParentCallSid ?? call.ParentCallSid;
            if (call.CallStatusSequence is null && TwilioCallStatuses.Rank(form.CallStatus) > TwilioCallStatuses.Rank(call.CallStatus))
            {
                call.CallStatus = form.CallStatus;
            }
            if (lookup.Business is { } business && call.PipelineStatus != PipelineStatus.Rejected)
            {
                call.BusinessId ??= business.Id;
                if (busy && PipelineStatusRules.IsGatewayStatus(call.PipelineStatus))
                {
                    call.PipelineStatus = PipelineStatus.Rejected;
                    call.ErrorReason = $"Busy: this gateway instance already carries its {capacity.Limit} concurrent calls";
                }
            }
            else if (call.BusinessId is null)
            {
                call.PipelineStatus = PipelineStatusRules.IsGatewayStatus(call.PipelineStatus) ? PipelineStatus.Rejected : call.PipelineStatus;
                call.ErrorReason = $"Rejected: {lookup.RejectionReason}";
            }
            call.UpdatedAt = now;
            await store.SaveChangesAsync(ct);
            return call;
        }, cancellationToken);

        if (busy && lookup.Business is { } full)
        {
            LogBusy(logger, form.CallSid, capacity.Limit);
            metrics.CallBusy(direction);
            var message = options.Value.BusyMessageFor(full.Language);
            return CallAnswerTwiml.SayAndHangUp(message.Text, message.Language);
        }
        if (call.BusinessId is null || call.PipelineStatus == PipelineStatus.Rejected)
        {
            LogRejected(logger, form.CallSid, businessNumber, lookup.RejectionReason ?? "the call was rejected before");
            metrics.CallRejected(direction);
            return CallAnswerTwiml.SayAndHangUp(options.Value.RejectionMessage);
        }

        var streamUrl = TwilioRequestUrl.WebSocketBase(publicUrl.Value.PublicBaseUrl) + TwilioRoutes.MediaStreamPrefix + tokens.Create(call.CallSid);
        LogAnswered(logger, call.CallSid, call.BusinessId.Value, call.Direction);
        metrics.CallAnswered(call.Direction);
        return CallAnswerTwiml.ConnectStream(streamUrl,
        [
            new("CallSid", call.CallSid),
            new("BusinessId", call.BusinessId.Value.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("Direction", SnakeCaseEnumConverter<CallDirection>.ToSnakeCase(call.Direction.ToString())),
        ]);
    }

    [LoggerMessage(1, LogLevel.Warning, "Rejected call {CallSid} to {CalledNumber}: {Reason}")]
    private static partial void LogRejected(ILogger logger, string callSid, string? calledNumber, string reason);

    [LoggerMessage(3, LogLevel.Warning, "Answered call {CallSid} busy: this instance already carries its {MaxConcurrentCalls} concurrent calls")]
    private static partial void LogBusy(ILogger logger, string callSid, int maxConcurrentCalls);

    [LoggerMessage(2, LogLevel.Information, "Answered call {CallSid} for business {BusinessId} ({Direction}) with a media stream")]
    private static partial void LogAnswered(ILogger logger, string callSid, int businessId, CallDirection direction);
}
