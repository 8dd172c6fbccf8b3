using System.Diagnostics;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Twilio.Rest;
using CallPipeline.Twilio.Validation;
using CallPipeline.Voice.Calls;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.Operator;

/// <summary>
/// Places outbound calls through Twilio's REST API. Twilio then requests <c>/twilio/voice/incoming</c> with
/// Direction outbound-api, so the call takes the same TwiML, media stream and recording path as an inbound one.
/// The operator's request is the call's first: its call log starts here, with the request's trace as the call's trace.
/// </summary>
public sealed partial class OutboundCalls(
    BusinessDirectory businesses,
    CallLogStore store,
    TwilioCallsClient twilio,
    IOptions<TwilioWebhookOptions> publicUrl,
    ILogger<OutboundCalls> logger)
{
    public async Task<OutboundCallResult> PlaceAsync(OutboundCallRequestBody body, CancellationToken cancellationToken)
    {
        var lookup = await businesses.FindByNumberAsync(body.From, cancellationToken);
        if (lookup is not { Business: { } business, NumberE164: { } from })
        {
            return OutboundCallResult.Invalid("from", $"From must be the Twilio number of an active business: {lookup.RejectionReason}.");
        }
        if (PhoneNumberNormalizer.ToE164(body.To, business.Region) is not { } to)
        {
            return OutboundCallResult.Invalid("to", "To is not a phone number.");
        }

        var call = await twilio.CreateCallAsync(
            new OutboundCallRequest(to, from, publicUrl.Value.Url(TwilioRoutes.IncomingCall), publicUrl.Value.Url(TwilioRoutes.CallStatus)), cancellationToken);
        Activity.Current?.SetTag(TraceTags.CallSid, call.Sid);
        var now = DateTimeOffset.UtcNow;
        await store.InTransactionAsync(async ct =>
        {
            // Twilio may already have asked for the TwiML; what its webhooks wrote is kept.
            var log = await store.UpsertAndLockAsync(call.Sid, now, TraceContext.Of(Activity.Current), ct);
            if (log.BusinessId is null)
            {
                log.Direction = CallDirection.Outbound;
                log.TwilioDirection ??= call.Direction ?? "outbound-api";
                log.FromNumber ??= from;
                log.ToNumber ??= to;
                log.BusinessId = business.Id;
                log.UpdatedAt = now;
            }
            await store.SaveChangesAsync(ct);
            return log;
        }, cancellationToken);
        LogPlaced(logger, call.Sid, business.Id);
        return OutboundCallResult.Placed(new PlacedCallRecord(call.Sid, call.Status?.ToString(), from, to));
    }

    [LoggerMessage(1, LogLevel.Information, "Outbound call {CallSid} placed for business {BusinessId}")]
    private static partial void LogPlaced(ILogger logger, string callSid, int businessId);
}

public sealed record OutboundCallResult(PlacedCallRecord? Call, string? InvalidField, string? Error)
{
    public static OutboundCallResult Placed(PlacedCallRecord call) => new(call, null, null);

    public static OutboundCallResult Invalid(string field, string error) => new(null, field, error);
}
