using CallPipeline.Data.Tracing;

namespace CallPipeline.Webhooks.Dispatch;

/// <summary>A delivery a dispatcher holds under lease for one attempt; everything needed to send it, and the trace it continues.</summary>
public sealed record ClaimedDelivery(
    long DeliveryId,
    string WebhookId,
    string CallSid,
    int BusinessId,
    string TargetUrl,
    string Payload,
    string Secret,
    int AttemptNumber,
    int RoundAttempt,
    string EventType,
    TraceContext? Trace);
