using System.Globalization;
using System.Security.Cryptography;

namespace CallPipeline.Webhooks.Signing;

/// <summary>Checks a received Standard Webhooks message: headers present, timestamp fresh, one v1 signature matching.</summary>
public static class StandardWebhookVerifier
{
    /// <summary>The reference libraries' tolerance: five minutes either side of the receiver's clock.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    public static WebhookVerificationResult Verify(
        string? webhookId,
        string? timestamp,
        string? signatureHeader,
        string body,
        IReadOnlyList<WebhookSecret> secrets,
        DateTimeOffset now,
        TimeSpan tolerance)
    {
        if (string.IsNullOrEmpty(webhookId) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signatureHeader))
        {
            return WebhookVerificationResult.MissingHeaders;
        }

        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || webhookId.Contains('.'))
        {
            return WebhookVerificationResult.InvalidTimestamp;
        }

        var sentAt = DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(seconds, 0, DateTimeOffset.MaxValue.ToUnixTimeSeconds()));
        if ((now - sentAt).Duration() > tolerance)
        {
            return WebhookVerificationResult.TimestampOutOfTolerance;
        }

        foreach (var secret in secrets)
        {
            var expected = StandardWebhookSigner.ComputeHmac(webhookId, seconds, body, secret);
            foreach (var entry in signatureHeader.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                if (Matches(entry, expected))
                {
                    return WebhookVerificationResult.Valid;
                }
            }
        }

        return WebhookVerificationResult.NoMatchingSignature;
    }

    private static bool Matches(string entry, byte[] expected)
    {
        if (!entry.StartsWith(StandardWebhookSigner.VersionPrefix, StringComparison.Ordinal))
        {
            // Other versions (v1a is ed25519) are not ours to check; they simply do not match.
            return false;
        }

        var encoded = entry.AsSpan(StandardWebhookSigner.VersionPrefix.Length);
        Span<byte> received = stackalloc byte[64];
        return Convert.TryFromBase64Chars(encoded, received, out var written)
            && CryptographicOperations.FixedTimeEquals(received[..written], expected);
    }
}
