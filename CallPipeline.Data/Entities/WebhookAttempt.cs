namespace CallPipeline.Data.Entities;

/// <summary>One HTTP attempt of a webhook delivery, kept for the operator's record.</summary>
public class WebhookAttempt
{
    public long Id { get; set; }
    public long WebhookDeliveryId { get; set; }
    public int AttemptNumber { get; set; }
    public DateTimeOffset AttemptedAt { get; set; }
    public int? StatusCode { get; set; }
    public int LatencyMs { get; set; }
    public string? Error { get; set; }
}
