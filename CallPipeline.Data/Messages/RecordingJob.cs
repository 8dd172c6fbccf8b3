using System.Text.Json;
using CallPipeline.Data.Entities;

namespace CallPipeline.Data.Messages;

/// <summary>
/// Post-call processing of one recording. Written to the outbox with the recording data,
/// published to the Redis stream as the fields below. Idempotent on <see cref="RecordingSid"/>.
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

    /// <summary>The outbox row that publishes this job; <paramref name="messageKey"/> is unique within the topic.</summary>
    public OutboxMessage ToOutboxMessage(string messageKey, DateTimeOffset createdAt) => new()
    {
        Topic = Topic,
        MessageKey = messageKey,
        Payload = JsonSerializer.Serialize(this, JsonSerializerOptions.Web),
        CreatedAt = createdAt,
    };

    /// <summary>The job an outbox row of this topic carries.</summary>
    public static RecordingJob? FromPayload(string payload) => JsonSerializer.Deserialize<RecordingJob>(payload, JsonSerializerOptions.Web);
}
