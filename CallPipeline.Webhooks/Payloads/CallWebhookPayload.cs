namespace CallPipeline.Webhooks.Payloads;

/// <summary>
/// The body of <c>call.completed</c> and <c>call.missed</c> webhooks, schema version 1
/// (Schemas/call-webhook.v1.schema.json). Serialized once, when the delivery is created, and sent byte for byte.
/// Absent values are JSON null, never empty strings or zeros.
/// </summary>
public sealed record CallWebhookPayload
{
    public const int CurrentVersion = 1;

    public int Version { get; init; } = CurrentVersion;
    public required string EventType { get; init; }
    /// <summary>When the event was recorded (the delivery's creation), not when it is sent.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    public required string CallSid { get; init; }
    public required int BusinessId { get; init; }
    public required string Direction { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    /// <summary>Twilio's final call status (completed, busy, no-answer, failed, canceled).</summary>
    public string? CallStatus { get; init; }
    public required DateTimeOffset StartedAt { get; init; }
    public DateTimeOffset? EndedAt { get; init; }
    public int? DurationSeconds { get; init; }
    public string? RecordingSid { get; init; }
    public string? RecordingUrl { get; init; }
    public string? Transcript { get; init; }
    public required string TranscriptSource { get; init; }
    /// <summary>The recording's transcript turn by turn (two-channel recordings name the speaker); null without one. Added in v1.</summary>
    public IReadOnlyList<CallWebhookTurn>? TranscriptTurns { get; init; }
    /// <summary>The turns as text, one line per turn with the speaker's label in the business's language. Added in v1.</summary>
    public string? SpeakerTranscript { get; init; }
    public string? Summary { get; init; }
    public string? City { get; init; }
    public string? Service { get; init; }
    public double? Confidence { get; init; }
    public string? CustomerName { get; init; }
    public required string PipelineStatus { get; init; }
}
