using CallPipeline.Data.Tracing;

namespace CallPipeline.Data.Entities;

/// <summary>
/// Work written in the same transaction as the data it is about, then published to Redis.
/// Survives Redis being down: a relay publishes whatever is not yet published.
/// </summary>
public class OutboxMessage : ITraceCarrier
{
    public long Id { get; set; }
    /// <summary>Which stream the message goes to, e.g. recording-jobs.</summary>
    public required string Topic { get; set; }
    /// <summary>Idempotency key within the topic (the RecordingSid for recording jobs).</summary>
    public required string MessageKey { get; set; }
    public required string Payload { get; set; }
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset? PublishedAt { get; set; }
    public int PublishAttempts { get; set; }
    public string? LastError { get; set; }
    /// <summary>The span that wrote the row; the relay's publish continues its trace, also after a restart.</summary>
    public string? TraceParent { get; set; }
    public string? TraceState { get; set; }
}
