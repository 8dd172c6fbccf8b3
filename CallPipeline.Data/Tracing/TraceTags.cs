namespace CallPipeline.Data.Tracing;

/// <summary>
/// Span attribute names the services share: OpenTelemetry semantic conventions where they exist, Twilio's ids otherwise.
/// Spans carry ids, statuses and counts only; never transcripts, tokens or what the caller said.
/// </summary>
public static class TraceTags
{
    public const string CallSid = "twilio.call_sid";
    public const string RecordingSid = "twilio.recording_sid";
    public const string StreamSid = "twilio.stream_sid";

    public const string MessagingSystem = "messaging.system";
    public const string MessagingDestinationName = "messaging.destination.name";
    public const string MessagingOperationType = "messaging.operation.type";
    public const string MessagingOperationName = "messaging.operation.name";
    public const string MessagingMessageId = "messaging.message.id";
    public const string MessagingConsumerGroupName = "messaging.consumer.group.name";
    /// <summary>The recording-jobs stream lives in Redis.</summary>
    public const string Redis = "redis";

    public const string HttpResponseStatusCode = "http.response.status_code";
    public const string ErrorType = "error.type";
}
