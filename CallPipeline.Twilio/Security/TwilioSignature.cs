using System.Security.Cryptography;
using System.Text;

namespace CallPipeline.Twilio.Security;

/// <summary>
/// Twilio's X-Twilio-Signature: Base64 of HMAC-SHA1, keyed with the auth token, over the full URL followed by the form
/// parameters sorted by name (ordinal), each name followed by its value; a repeated name contributes each distinct value, sorted.
/// JSON bodies are signed over the URL alone, which then carries the body's SHA-256 as bodySHA256.
/// </summary>
public static class TwilioSignature
{
    public const string HeaderName = "X-Twilio-Signature";
    private const string BodyHashParameter = "bodySHA256";

    public static string Compute(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form)
    {
        var data = new StringBuilder(url);
        foreach (var parameter in form.GroupBy(p => p.Key, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            foreach (var value in parameter.Select(p => p.Value).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                data.Append(parameter.Key).Append(value);
            }
        }
        return Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(authToken), Encoding.UTF8.GetBytes(data.ToString())));
    }

    /// <summary>True when <paramref name="signature"/> matches the URL as given or with its port removed or the default port added.</summary>
    public static bool IsValid(string authToken, string url, IEnumerable<KeyValuePair<string, string>> form, string? signature)
    {
        if (string.IsNullOrEmpty(signature))
        {
            return false;
        }
        var parameters = form.ToList();
        var valid = false;
        foreach (var variant in UrlVariants(url))
        {
            // No early exit, so the time taken does not tell which variant matched.
            valid |= FixedTimeEquals(Compute(authToken, variant, parameters), signature);
        }
        return valid;
    }

    /// <summary>A JSON body is valid when the URL's signature matches and its bodySHA256 is the hash of these exact bytes.</summary>
    public static bool IsValidJsonBody(string authToken, string url, ReadOnlySpan<byte> body, string? signature)
    {
        var bodyHash = QueryValue(url, BodyHashParameter);
        return bodyHash is not null
            & FixedTimeEquals(BodySha256(body), bodyHash ?? string.Empty)
            & IsValid(authToken, url, [], signature);
    }

    /// <summary>Lowercase hex SHA-256, the form Twilio puts in bodySHA256.</summary>
    public static string BodySha256(ReadOnlySpan<byte> body) => Convert.ToHexStringLower(SHA256.HashData(body));

    /// <summary>
    /// The URL as given, and the same URL with its port removed or, without one, the scheme's default port added.
    /// Built on the original string because System.Uri lowercases the host and drops default ports, which changes the signature.
    /// </summary>
    public static IEnumerable<string> UrlVariants(string url)
    {
        yield return url;

        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            yield break;
        }
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }
        var authority = url[authorityStart..authorityEnd];
        var hostStart = authority.LastIndexOf('@') + 1;
        var portSeparator = authority.LastIndexOf(':');
        var hasPort = portSeparator >= hostStart && !authority.EndsWith(']') && portSeparator > authority.LastIndexOf(']');

        string variantAuthority;
        if (hasPort)
        {
            variantAuthority = authority[..portSeparator];
        }
        else
        {
            var scheme = url[..schemeEnd];
            var defaultPort = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) || scheme.Equals("wss", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
            variantAuthority = $"{authority}:{defaultPort}";
        }
        yield return url[..authorityStart] + variantAuthority + url[authorityEnd..];
    }

    private static string? QueryValue(string url, string name)
    {
        var queryStart = url.IndexOf('?');
        if (queryStart < 0)
        {
            return null;
        }
        foreach (var pair in url[(queryStart + 1)..].Split('&'))
        {
            var separator = pair.IndexOf('=');
            if (separator > 0 && pair[..separator] == name)
            {
                return Uri.UnescapeDataString(pair[(separator + 1)..]);
            }
        }
        return null;
    }

    private static bool FixedTimeEquals(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(expected), Encoding.UTF8.GetBytes(actual));
}
