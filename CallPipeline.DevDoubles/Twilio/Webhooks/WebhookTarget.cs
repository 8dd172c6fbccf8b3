using System.Text;

namespace CallPipeline.DevDoubles.Twilio.Webhooks;

/// <summary>
/// A webhook URL as Twilio treats it (twilio.md §1.3): credentials in the URL are taken out and sent as basic auth,
/// and a voice callback over HTTPS is signed without its port. Built by string surgery so nothing is re-encoded.
/// </summary>
public sealed record WebhookTarget(string RequestUrl, string SigningUrl, string? BasicCredentials, string LogUrl)
{
    public static WebhookTarget Parse(string url)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return new WebhookTarget(url, url, null, url);
        }
        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }
        var authority = url[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        var credentials = at >= 0 ? Uri.UnescapeDataString(authority[..at]) : null;
        var hostAndPort = at >= 0 ? authority[(at + 1)..] : authority;
        var scheme = url[..schemeEnd];
        var rest = url[authorityEnd..];
        var requestUrl = $"{scheme}://{hostAndPort}{rest}";

        var hostOnly = hostAndPort;
        var colon = hostAndPort.LastIndexOf(':');
        if (colon > hostAndPort.LastIndexOf(']'))
        {
            hostOnly = hostAndPort[..colon];
        }
        var signingUrl = scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? $"{scheme}://{hostOnly}{rest}" : requestUrl;

        // Logs get the path only: a query string or credentials may carry secrets.
        var pathEnd = rest.IndexOfAny(['?', '#']);
        var logUrl = $"{scheme}://{hostAndPort}{(pathEnd < 0 ? rest : rest[..pathEnd])}";
        return new WebhookTarget(requestUrl, signingUrl, credentials, logUrl);
    }

    public string? BasicAuthorization => BasicCredentials is null ? null : Convert.ToBase64String(Encoding.UTF8.GetBytes(BasicCredentials));
}
