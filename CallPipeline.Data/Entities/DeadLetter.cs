namespace CallPipeline.Data.Entities;

/// <summary>
/// Work that stopped being retried, kept for the operator to see, replay or delete. One per call for recording jobs and
/// one per webhook delivery: when a replay fails again, the same row records it, open once more.
/// </summary>
public class DeadLetter
{
    public long Id { get; set; }
    public DeadLetterKind Kind { get; set; }
    /// <summary>The call, when there is one (a stream entry naming no known call has none).</summary>
    public long? CallLogId { get; set; }
    public string? CallSid { get; set; }
    public int? BusinessId { get; set; }
    public string? RecordingSid { get; set; }
    /// <summary>The Redis stream entry a recording job was dead-lettered from (also copied to the dead-letter stream).</summary>
    public string? StreamEntryId { get; set; }
    public long? WebhookDeliveryId { get; set; }
    public WebhookDelivery? WebhookDelivery { get; set; }
    public required string Reason { get; set; }
    /// <summary>Deliveries of the job, or HTTP attempts of the webhook, that failed.</summary>
    public int Attempts { get; set; }
    public DateTimeOffset FirstFailedAt { get; set; }
    public DateTimeOffset LastFailedAt { get; set; }
    /// <summary>When the operator last replayed it; null while it is open (never replayed, or failed again since).</summary>
    public DateTimeOffset? ReplayedAt { get; set; }
    public int ReplayCount { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
