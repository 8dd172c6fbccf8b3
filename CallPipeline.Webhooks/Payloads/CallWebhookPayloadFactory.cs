using CallPipeline.Data;
using CallPipeline.Data.Entities;

namespace CallPipeline.Webhooks.Payloads;

public static class CallWebhookPayloadFactory
{
    public static CallWebhookPayload Create(CallLog call, int businessId, string eventType, DateTimeOffset occurredAt)
    {
        var (transcript, source) = ChooseTranscript(call);
        return new CallWebhookPayload
        {
            EventType = eventType,
            OccurredAt = occurredAt,
            CallSid = call.CallSid,
            BusinessId = businessId,
            Direction = Text(call.Direction),
            From = call.FromNumber,
            To = call.ToNumber,
            CallStatus = call.CallStatus,
            StartedAt = call.StartedAt,
            EndedAt = call.EndedAt,
            DurationSeconds = call.DurationSeconds,
            RecordingSid = call.RecordingSid,
            RecordingUrl = call.RecordingUrl,
            Transcript = transcript,
            TranscriptSource = Text(source),
            // Turns belong to the recording's transcript: a realtime fallback has none.
            TranscriptTurns = source == Data.Entities.TranscriptSource.Recording
                ? call.TranscriptTurns?.Select(turn => new CallWebhookTurn(Text(turn.Role), turn.Start, turn.End, turn.Text)).ToList()
                : null,
            SpeakerTranscript = source == Data.Entities.TranscriptSource.Recording ? call.SpeakerTranscript : null,
            Summary = call.Summary,
            City = call.ExtractedCity,
            Service = call.ExtractedService,
            Confidence = call.ExtractionConfidence,
            CustomerName = call.CustomerName,
            PipelineStatus = Text(call.PipelineStatus),
        };
    }

    // The recording's transcript wins; the realtime one is the fallback, and the source says which was sent.
    private static (string? Transcript, TranscriptSource Source) ChooseTranscript(CallLog call)
    {
        if (!string.IsNullOrWhiteSpace(call.FinalTranscript))
        {
            return (call.FinalTranscript, call.TranscriptSource is null or Data.Entities.TranscriptSource.None
                ? Data.Entities.TranscriptSource.Recording
                : call.TranscriptSource.Value);
        }

        return string.IsNullOrWhiteSpace(call.RealtimeTranscript)
            ? (null, Data.Entities.TranscriptSource.None)
            : (call.RealtimeTranscript, Data.Entities.TranscriptSource.Realtime);
    }

    // Same spelling as the database columns, so operators see one vocabulary.
    private static string Text<TEnum>(TEnum value) where TEnum : struct, Enum =>
        SnakeCaseEnumConverter<TEnum>.ToSnakeCase(value.ToString());
}
