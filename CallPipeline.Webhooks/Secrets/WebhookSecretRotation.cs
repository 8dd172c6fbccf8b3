using CallPipeline.Data;
using CallPipeline.Webhooks.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallPipeline.Webhooks.Secrets;

/// <summary>The new secret, shown once, and until when deliveries are also signed with the old one (null: not at all).</summary>
public sealed record RotatedWebhookSecret(int BusinessId, string WebhookSecret, DateTimeOffset? PreviousSecretValidUntil);

/// <summary>
/// Gives a business a new webhook secret. The old one moves aside for <see cref="WebhookSecretRotationOptions.GracePeriod"/>,
/// in the same UPDATE, so a delivery claimed at any moment is signed with a secret the business knows. Rotating again
/// within the grace period keeps only the secret just replaced: the one before it is dropped.
/// </summary>
public sealed partial class WebhookSecretRotation(
    CallPipelineDbContext db, IOptions<WebhookSecretRotationOptions> options, TimeProvider time, ILogger<WebhookSecretRotation> logger)
{
    /// <returns>The new secret, or null when no business has <paramref name="businessId"/>.</returns>
    public async Task<RotatedWebhookSecret?> RotateAsync(int businessId, CancellationToken cancellationToken)
    {
        var secret = WebhookSecret.Generate();
        var now = time.GetUtcNow();
        var grace = options.Value.GracePeriod;
        DateTimeOffset? validUntil = grace > TimeSpan.Zero ? now + grace : null;
        var business = db.Businesses.Where(b => b.Id == businessId);
        var changed = validUntil is null
            ? await business.ExecuteUpdateAsync(
                set => set.SetProperty(b => b.PreviousWebhookSecret, (string?)null)
                    .SetProperty(b => b.PreviousWebhookSecretExpiresAt, (DateTimeOffset?)null)
                    .SetProperty(b => b.WebhookSecret, secret)
                    .SetProperty(b => b.UpdatedAt, now),
                cancellationToken)
            : await business.ExecuteUpdateAsync(
                set => set.SetProperty(b => b.PreviousWebhookSecret, b => b.WebhookSecret)
                    .SetProperty(b => b.PreviousWebhookSecretExpiresAt, b => b.WebhookSecret == null ? null : validUntil)
                    .SetProperty(b => b.WebhookSecret, secret)
                    .SetProperty(b => b.UpdatedAt, now),
                cancellationToken);
        if (changed == 0)
        {
            return null;
        }
        LogRotated(logger, businessId, validUntil);
        return new RotatedWebhookSecret(businessId, secret, validUntil);
    }

    [LoggerMessage(60, LogLevel.Information, "Webhook secret of business {BusinessId} rotated; the previous one also signs until {ValidUntil:O}")]
    private static partial void LogRotated(ILogger logger, int businessId, DateTimeOffset? validUntil);
}
