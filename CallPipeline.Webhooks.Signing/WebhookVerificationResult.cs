namespace CallPipeline.Webhooks.Signing;

public enum WebhookVerificationResult
{
    Valid,
    MissingHeaders,
    InvalidTimestamp,
    TimestampOutOfTolerance,
    NoMatchingSignature,
}
