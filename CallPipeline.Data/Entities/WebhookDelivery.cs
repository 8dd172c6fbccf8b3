using CallPipeline.Data.Tracing;

namespace CallPipeline.Data.Entities;

/// <summary>One logical webhook: one per call and event type, sent under a stable webhook-id until delivered.</summary>
public class WebhookDelivery : ITraceCarrier
{
    public long Id { get; set; }
    /// <summary>The Standard Webhooks webhook-id, the receiver's idempotency key.</summary>
    public required string WebhookId { get; set; }
    public long CallLogId { get; set; }
    public CallLog? CallLog { get; set; }
    public int BusinessId { get; set; }
    public required string EventType { get; set; }
    public required string TargetUrl { get; set; }
    /// <summary>The exact JSON body, fixed when the delivery is created.</summary>
    public required string Payload { get; set; }
    public WebhookDeliveryStatus Status { get; set; }
    public int AttemptCount { get; set; }
    public DateTimeOffset NextAttemptAt { get; set; }
    public DateTimeOffset? LastAttemptAt { get; set; }
    public DateTimeOffset? DeliveredAt { get; set; }
    public int? LastStatusCode { get; set; }
    public string? LastError { get; set; }
    /// <summary>The span that created the delivery; every attempt continues its trace, however much later.</summary>
    public string? TraceParent { get; set; }
    public string? TraceState { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<WebhookAttempt> Attempts { get; set; } = [];
}
