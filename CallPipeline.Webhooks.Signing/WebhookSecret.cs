using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace CallPipeline.Webhooks.Signing;

/// <summary>
/// A Standard Webhooks symmetric secret: <c>whsec_</c> followed by base64 of 24 to 64 random bytes.
/// The HMAC key is the decoded bytes, not the text.
/// </summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";
    public const int MinKeyBytes = 24;
    public const int MaxKeyBytes = 64;

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    internal ReadOnlySpan<byte> Key => _key;

    /// <summary>A new random secret of 32 bytes, for businesses that have none yet.</summary>
    public static string Generate() => Prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static bool TryParse(string? text, [NotNullWhen(true)] out WebhookSecret? secret)
    {
        secret = null;
        if (text is null || !text.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var encoded = text.AsSpan(Prefix.Length);
        var buffer = new byte[encoded.Length];
        if (!Convert.TryFromBase64Chars(encoded, buffer, out var written) || written < MinKeyBytes || written > MaxKeyBytes)
        {
            return false;
        }

        secret = new WebhookSecret(buffer[..written]);
        return true;
    }

    public static WebhookSecret Parse(string text) =>
        TryParse(text, out var secret)
            ? secret
            // The message never repeats the value: it is a secret even when malformed.
            : throw new FormatException($"A webhook secret must be '{Prefix}' followed by base64 of {MinKeyBytes} to {MaxKeyBytes} bytes.");

    /// <summary>Space-separated secrets (rotation: old and new side by side); all must be valid, and at least one present.</summary>
    public static bool TryParseList(string? text, [NotNullWhen(true)] out IReadOnlyList<WebhookSecret>? secrets)
    {
        secrets = null;
        var parts = text?.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) ?? [];
        var parsed = new List<WebhookSecret>(parts.Length);
        foreach (var part in parts)
        {
            if (!TryParse(part, out var secret))
            {
                return false;
            }
            parsed.Add(secret);
        }

        secrets = parsed;
        return parsed.Count > 0;
    }

    public static IReadOnlyList<WebhookSecret> ParseList(string text) =>
        TryParseList(text, out var secrets)
            ? secrets
            : throw new FormatException($"Expected one or more space-separated '{Prefix}' secrets.");
}
