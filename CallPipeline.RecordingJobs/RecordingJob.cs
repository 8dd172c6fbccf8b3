using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;

namespace CallPipeline.RecordingJobs;

/// <summary>
/// Post-call processing of one recording. Written to the outbox with the recording data, then added to the
/// recording-jobs stream by <see cref="RecordingJobStream"/>. Idempotent on <see cref="RecordingSid"/>.
/// </summary>
public sealed record RecordingJob(string CallSid, string RecordingSid)
{
    /// <summary>The outbox topic of recording jobs, named after the stream they go to.</summary>
    public const string Topic = RecordingJobStream.DefaultName;

    /// <summary>The payload's property holding <see cref="CallSid"/> (the web JSON defaults, camelCase).</summary>
    public const string CallSidProperty = "callSid";

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
