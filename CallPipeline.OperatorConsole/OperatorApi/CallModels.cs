namespace CallPipeline.OperatorConsole.OperatorApi;

// The operator API's call shapes as the console reads them; enums stay the snake_case strings the API writes.

public sealed record CallSummary(
    string CallSid,
    int? BusinessId,
    string Direction,
    string? From,
    string? To,
    string? CallStatus,
    string PipelineStatus,
    DateTimeOffset StartedAt,
    int? DurationSeconds,
    string? RecordingSid,
    string? ErrorReason,
    string? BusinessName);

public sealed record CallPage(int Page, int PageSize, int Total, IReadOnlyList<CallSummary> Items);

public sealed record CallRecord(
    string CallSid,
    int? BusinessId,
    string? BusinessName,
    string Direction,
    string? From,
    string? To,
    string? CallStatus,
    string PipelineStatus,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    int? DurationSeconds,
    CallRecording Recording,
    CallTranscript Transcript,
    string? Summary,
    CallExtraction Extraction,
    CallProcessing Processing,
    string? ErrorReason,
    CallErasure Erasure,
    IReadOnlyList<WebhookDelivery> Webhooks);

public sealed record CallRecording(string? RecordingSid, string? Status, int? DurationSeconds, int? Channels, string? ErrorCode, string? MediaStreamSid, DateTimeOffset? StreamFinalizedAt);

public sealed record CallTranscript(string? Final, string? Source, IReadOnlyList<TranscriptTurn>? Turns, double? CallerSpeechSeconds);

public sealed record TranscriptTurn(string Role, double Start, double End, string Text);

public sealed record CallExtraction(string? City, string? Service, string? CustomerName, double? Confidence);

/// <summary>The worker's attempts and milliseconds per step, in the order the steps ran.</summary>
public sealed record CallProcessing(int Attempts, DateTimeOffset? ProcessedAt, double? AudioDurationSeconds, Dictionary<string, long>? StepTimings);

public sealed record CallErasure(DateTimeOffset? ErasureRequestedAt, DateTimeOffset? RecordingErasedAt, DateTimeOffset? TextErasedAt, bool RecordingErasurePending);

public sealed record WebhookDelivery(
    string WebhookId,
    string EventType,
    string Status,
    string TargetUrl,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatusCode,
    string? LastError,
    IReadOnlyList<WebhookAttempt> Attempts);

public sealed record WebhookAttempt(int AttemptNumber, DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Error);

/// <summary>The filters of <c>GET /api/calls</c>; null means any.</summary>
public sealed record CallSearch(string? Number, string? CallSid, int? BusinessId, string? Status, DateTimeOffset? Since, DateTimeOffset? Until);
