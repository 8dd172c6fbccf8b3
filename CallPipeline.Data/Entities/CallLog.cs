using CallPipeline.Data.Tracing;

namespace CallPipeline.Data.Entities;

/// <summary>One phone call, from the first webhook to the processed post-call record. Keyed by Twilio's CallSid.</summary>
public class CallLog : ITraceCarrier
{
    public long Id { get; set; }
    public required string CallSid { get; set; }
    public string? ParentCallSid { get; set; }
    public int? BusinessId { get; set; }
    public Business? Business { get; set; }

    public CallDirection Direction { get; set; }
    /// <summary>Twilio's own value (inbound, outbound-api, outbound-dial) as received.</summary>
    public string? TwilioDirection { get; set; }
    public string? FromNumber { get; set; }
    public string? ToNumber { get; set; }

    /// <summary>Twilio's call status (queued, ringing, in-progress, completed, busy, no-answer, failed, canceled).</summary>
    public string? CallStatus { get; set; }
    /// <summary>Twilio's SequenceNumber of the last status callback applied, so late callbacks are ignored.</summary>
    public int? CallStatusSequence { get; set; }
    public DateTimeOffset? CallStatusAt { get; set; }
    public PipelineStatus PipelineStatus { get; set; }

    public DateTimeOffset StartedAt { get; set; }
    public DateTimeOffset? EndedAt { get; set; }
    public int? DurationSeconds { get; set; }

    public string? MediaStreamSid { get; set; }
    public DateTimeOffset? StreamFinalizedAt { get; set; }
    /// <summary>
    /// The gateway's own recording of the media stream on the gateway's disk: only until it is stored in Postgres
    /// (<see cref="StoredRecordingBytes"/>), or when storing it failed.
    /// </summary>
    public string? LocalRecordingPath { get; set; }
    /// <summary>The size of the gateway's recording kept in Postgres (<c>recording_chunks</c>), the fallback recording source; null when none is kept.</summary>
    public long? StoredRecordingBytes { get; set; }

    public string? RecordingSid { get; set; }
    public string? RecordingUrl { get; set; }
    public string? RecordingStatus { get; set; }
    public int? RecordingDurationSeconds { get; set; }
    public int? RecordingChannels { get; set; }
    public string? RecordingErrorCode { get; set; }

    public string? RealtimeTranscript { get; set; }
    public string? FinalTranscript { get; set; }
    public TranscriptSource? TranscriptSource { get; set; }
    /// <summary>The recording's transcript speaker by speaker, in time order; null without a recording transcript.</summary>
    public List<TranscriptTurn>? TranscriptTurns { get; set; }
    /// <summary>The turns as text, one line per turn with the speaker's label in the business's language.</summary>
    public string? SpeakerTranscript { get; set; }
    /// <summary>Seconds of speech found on the caller's channel, transcribed or not; null for one-channel recordings.</summary>
    public double? CallerSpeechSeconds { get; set; }
    public string? Summary { get; set; }
    public string? ExtractedCity { get; set; }
    public string? ExtractedService { get; set; }
    public double? ExtractionConfidence { get; set; }
    public string? CustomerName { get; set; }

    public long? AudioBytes { get; set; }
    public double? AudioDurationSeconds { get; set; }

    public int ProcessingAttempts { get; set; }
    /// <summary>The worker run (consumer and stream entry) that holds the call while it is processing; null when none does.</summary>
    public string? ProcessingOwner { get; set; }
    /// <summary>
    /// Until when the call's processing is accounted for: the owner's lease, renewed by its heartbeat, or without an owner
    /// when the retry of a failed attempt is due. Past it, with nobody renewing, the call is abandoned and queued again.
    /// </summary>
    public DateTimeOffset? ProcessingLeaseExpiresAt { get; set; }

    /// <summary>In processing, and nobody accounts for it any more: the lease (or, without one, the last write) is past.</summary>
    public bool IsProcessingAbandoned(DateTimeOffset now) =>
        PipelineStatus == PipelineStatus.Processing && (ProcessingLeaseExpiresAt ?? UpdatedAt) < now;
    public DateTimeOffset? ProcessedAt { get; set; }
    /// <summary>Milliseconds per pipeline step, as a JSON object.</summary>
    public string? StepTimings { get; set; }
    public string? ErrorReason { get; set; }
    /// <summary>When processing first failed, for the dead letter's first failure; null while it never has.</summary>
    public DateTimeOffset? FirstFailedAt { get; set; }

    /// <summary>
    /// The call's distributed trace, established by its first request (Twilio's incoming-call webhook, or the operator's
    /// POST /api/calls); Twilio's later requests carry no trace context, so their spans continue this one.
    /// </summary>
    public string? TraceParent { get; set; }
    public string? TraceState { get; set; }

    /// <summary>When the operator asked to erase the call's data (a caller's request); the sweep finishes what that request could not.</summary>
    public DateTimeOffset? ErasureRequestedAt { get; set; }
    /// <summary>When the recording was deleted, at Twilio and here, and why (<see cref="Erasure"/>); the RecordingSid stays for the record.</summary>
    public DateTimeOffset? RecordingErasedAt { get; set; }
    public string? RecordingErasedBy { get; set; }
    /// <summary>When the transcripts, summary and extraction were cleared (and the webhook payloads that carried them), and why.</summary>
    public DateTimeOffset? TextErasedAt { get; set; }
    public string? TextErasedBy { get; set; }

    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    public List<WebhookDelivery> WebhookDeliveries { get; set; } = [];
}
