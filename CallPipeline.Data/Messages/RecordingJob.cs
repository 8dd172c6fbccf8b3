using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;

namespace CallPipeline.Data.Messages;

/// <summary>
/// Post-call processing of one recording. Written to the outbox with the recording data,
/// published to the Redis stream as the fields below, with the W3C <c>traceparent</c>/<c>tracestate</c> of the publishing
/// span (<see cref="TraceContext"/>). Idempotent on <see cref="RecordingSid"/>.
/// </summary>
public sealed record RecordingJob(string CallSid, string RecordingSid)
{
    public const string Topic = "recording-jobs";
    /// <summary>The workers' consumer group on the stream.</summary>
    public const string ConsumerGroup = "recording-workers";
    /// <summary>Pub/sub channel that wakes idle workers after a job is added (they otherwise poll).</summary>
    public const string NudgeChannel = "recording-jobs:nudge";
    public const string CallSidField = "callSid";
    public const string RecordingSidField = "recordingSid";
    public const string OutboxIdField = "outboxId";

    /// <summary>
    /// The outbox row that publishes this job; <paramref name="messageKey"/> is unique within the topic, and
    /// <paramref name="trace"/> (the span writing it) is where the publish continues the trace.
    /// </summary>
    public OutboxMessage ToOutboxMessage(string messageKey, DateTimeOffset createdAt, TraceContext? trace) => new()
    {
        Topic = Topic,
        MessageKey = messageKey,
        Payload = JsonSerializer.Serialize(this, JsonSerializerOptions.Web),
        CreatedAt = createdAt,
        TraceParent = trace?.TraceParent,
        TraceState = trace?.TraceState,
    };

    /// <summary>The job an outbox row of this topic carries.</summary>
    public static RecordingJob? FromPayload(string payload) => JsonSerializer.Deserialize<RecordingJob>(payload, JsonSerializerOptions.Web);
}
