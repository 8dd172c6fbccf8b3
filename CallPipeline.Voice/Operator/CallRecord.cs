using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Voice.Retention;
using CallPipeline.Webhooks.Operator;

namespace CallPipeline.Voice.Operator;

/// <summary>A whole call log as the operator sees it (<c>GET /api/calls/{callSid}</c>).</summary>
public sealed record CallRecord(
    string CallSid,
    string? ParentCallSid,
    int? BusinessId,
    string? BusinessName,
    CallDirection Direction,
    string? TwilioDirection,
    string? From,
    string? To,
    string? CallStatus,
    PipelineStatus PipelineStatus,
    DateTimeOffset StartedAt,
    DateTimeOffset? EndedAt,
    int? DurationSeconds,
    CallRecordingRecord Recording,
    CallTranscriptRecord Transcript,
    string? Summary,
    CallExtractionRecord Extraction,
    CallProcessingRecord Processing,
    string? ErrorReason,
    CallErasureRecord Erasure,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<WebhookDeliveryRecord> Webhooks)
{
    public static CallRecord Create(CallLog call, IReadOnlyList<WebhookDeliveryRecord> webhooks) => new(
        call.CallSid,
        call.ParentCallSid,
        call.BusinessId,
        call.Business?.Name,
        call.Direction,
        call.TwilioDirection,
        call.FromNumber,
        call.ToNumber,
        call.CallStatus,
        call.PipelineStatus,
        call.StartedAt,
        call.EndedAt,
        call.DurationSeconds,
        new CallRecordingRecord(
            call.RecordingSid, call.RecordingUrl, call.RecordingStatus, call.RecordingDurationSeconds, call.RecordingChannels,
            call.RecordingErrorCode, call.MediaStreamSid, call.LocalRecordingPath, call.StoredRecordingBytes, call.StreamFinalizedAt),
        new CallTranscriptRecord(call.RealtimeTranscript, call.FinalTranscript, call.TranscriptSource, call.SpeakerTranscript, call.TranscriptTurns, call.CallerSpeechSeconds),
        call.Summary,
        new CallExtractionRecord(call.ExtractedCity, call.ExtractedService, call.CustomerName, call.ExtractionConfidence),
        new CallProcessingRecord(
            call.ProcessingAttempts, call.ProcessedAt, call.AudioBytes, call.AudioDurationSeconds,
            call.StepTimings is null ? null : JsonSerializer.Deserialize<JsonElement>(call.StepTimings)),
        call.ErrorReason,
        CallErasureRecord.From(call),
        call.CreatedAt,
        call.UpdatedAt,
        webhooks);
}

public sealed record CallRecordingRecord(
    string? RecordingSid,
    string? Url,
    string? Status,
    int? DurationSeconds,
    int? Channels,
    string? ErrorCode,
    string? MediaStreamSid,
    string? LocalRecordingPath,
    long? StoredRecordingBytes,
    DateTimeOffset? StreamFinalizedAt);

/// <summary>
/// The transcripts: realtime, final and its source; the final one turn by turn (<c>turns</c>: role caller, line or
/// unknown, start and end seconds, text), as labelled text (<c>speakers</c>), and how long the caller spoke.
/// </summary>
public sealed record CallTranscriptRecord(
    string? Realtime,
    string? Final,
    TranscriptSource? Source,
    string? Speakers,
    IReadOnlyList<TranscriptTurn>? Turns,
    double? CallerSpeechSeconds);

public sealed record CallExtractionRecord(string? City, string? Service, string? CustomerName, double? Confidence);

/// <summary>The worker's bookkeeping: attempts, when it finished, the audio it worked on and milliseconds per step.</summary>
public sealed record CallProcessingRecord(int Attempts, DateTimeOffset? ProcessedAt, long? AudioBytes, double? AudioDurationSeconds, JsonElement? StepTimings);
