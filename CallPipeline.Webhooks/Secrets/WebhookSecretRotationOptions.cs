namespace CallPipeline.Webhooks.Secrets;

/// <summary>Configuration section <c>Webhooks:SecretRotation</c>.</summary>
public sealed class WebhookSecretRotationOptions
{
    public const string SectionName = "Webhooks:SecretRotation";

    /// <summary>
    /// How long deliveries still carry a signature with the replaced secret after a rotation, so the business can switch
    /// its endpoint to the new one without a failed delivery. Zero drops the old secret at once.
    /// </summary>
    public TimeSpan GracePeriod { get; set; } = TimeSpan.FromHours(24);
}
