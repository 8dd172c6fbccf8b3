using CallPipeline.Data.Entities;

namespace CallPipeline.Webhooks.Secrets;

/// <summary>The secrets a business's deliveries are signed with at a given time.</summary>
public static class SigningSecrets
{
    /// <summary>
    /// The current secret, then the one a rotation replaced while its grace period lasts, space-separated: each gives
    /// one signature in <c>webhook-signature</c>, and the receiver accepts the message when any one verifies
    /// (Standard Webhooks, "Signature scheme": several signatures for zero-downtime rotation).
    /// </summary>
    public static string? Of(Business business, DateTimeOffset now) =>
        business.PreviousWebhookSecret is { } previous && business.PreviousWebhookSecretExpiresAt > now && business.WebhookSecret is { } current
            ? $"{current} {previous}"
            : business.WebhookSecret;
}
