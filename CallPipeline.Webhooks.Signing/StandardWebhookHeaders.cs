namespace CallPipeline.Webhooks.Signing;

/// <summary>Header names of the Standard Webhooks specification (v1.0.0), lower case as the spec writes them.</summary>
public static class StandardWebhookHeaders
{
    public const string Id = "webhook-id";
    public const string Timestamp = "webhook-timestamp";
    public const string Signature = "webhook-signature";
}
