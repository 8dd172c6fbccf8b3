using System.Security.Cryptography;
using System.Text;

namespace CallPipeline.Webhooks.Signing;

/// <summary>
/// Standard Webhooks v1 symmetric signatures: HMAC-SHA256 over <c>{id}.{timestamp}.{body}</c>, written as
/// <c>v1,&lt;base64&gt;</c>. Several secrets give several space-separated signatures, which lets a business
/// rotate its secret without a gap.
/// </summary>
public static class StandardWebhookSigner
{
    public const string VersionPrefix = "v1,";

    public static string Sign(string webhookId, long timestamp, string body, WebhookSecret secret) =>
        VersionPrefix + Convert.ToBase64String(ComputeHmac(webhookId, timestamp, body, secret));

    public static string Sign(string webhookId, long timestamp, string body, IEnumerable<WebhookSecret> secrets) =>
        string.Join(' ', secrets.Select(secret => Sign(webhookId, timestamp, body, secret)));

    internal static byte[] ComputeHmac(string webhookId, long timestamp, string body, WebhookSecret secret)
    {
        // The spec's separator is '.', so an id containing one could be confused with the timestamp.
        if (webhookId.Contains('.'))
        {
            throw new ArgumentException("A webhook-id must not contain '.'.", nameof(webhookId));
        }

        var signedContent = Encoding.UTF8.GetBytes($"{webhookId}.{timestamp}.{body}");
        return HMACSHA256.HashData(secret.Key, signedContent);
    }
}
