using System.Net.Http.Headers;
using Microsoft.Extensions.Options;

namespace CallPipeline.Twilio.Rest;

/// <summary>A recording's media URL could not be followed (a redirect without a Location, to a non-http URL, or too many).</summary>
public sealed class TwilioMediaRedirectException(int statusCode, string message) : Exception(message)
{
    public int StatusCode { get; } = statusCode;
}

/// <summary>
/// Twilio recording media over HTTP, for the worker's download and the operator's playback alike (the original system
/// had two copies of this and one of them was refused with 403). Basic auth with the account is sent only to the
/// configured Twilio API host; redirects (Twilio may send media to a short-lived CDN URL) are followed by hand, so the
/// credentials never reach another host. Written by hand because Twilio's SDK fetches a recording's JSON resource but
/// not its media: its Response holds the body as a string, so audio would be decoded as text and buffered whole.
/// </summary>
public sealed class TwilioMediaClient(IHttpClientFactory httpClientFactory, IOptions<TwilioOptions> options)
{
    public const string HttpClientName = "twilio-media";
    public const int MaxRedirects = 5;
    private static readonly string[] MediaExtensions = [".json", ".wav", ".mp3"];

    private readonly TwilioOptions _twilio = options.Value;
    private readonly Uri _apiBase = new(options.Value.ApiBaseUrl);

    /// <summary>
    /// The recording's media URL without an extension, absolute on the API host: Twilio's callback gives it absolute and
    /// bare, its API resources relative and with <c>.json</c>; either may have been stored.
    /// </summary>
    /// <returns>Null, with <paramref name="problem"/>, for what is not an http(s) URL on the configured API host.</returns>
    public string? ResolveMediaBase(string recordingUrl, out string problem)
    {
        problem = "";
        if (!Uri.TryCreate(_apiBase, recordingUrl.Trim(), out var absolute) || absolute.Scheme is not ("https" or "http"))
        {
            problem = "the RecordingUrl is not an http(s) URL";
            return null;
        }
        if (!IsApiHost(absolute))
        {
            problem = $"the RecordingUrl's host {absolute.Authority} is not the configured Twilio API host; credentials are not sent there";
            return null;
        }
        var path = absolute.GetLeftPart(UriPartial.Path);
        foreach (var extension in MediaExtensions)
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                path = path[..^extension.Length];
            }
        }
        return path;
    }

    /// <summary>The media URL of a recording known only by its SID, in the configured account.</summary>
    public string MediaBaseFor(string recordingSid) =>
        $"{_apiBase.GetLeftPart(UriPartial.Path).TrimEnd('/')}/2010-04-01/Accounts/{_twilio.AccountSid}/Recordings/{recordingSid}";

    /// <summary>
    /// GETs <paramref name="url"/>, following redirects by hand, and returns the first answer that is not one, its body
    /// unread. <paramref name="range"/> (e.g. <c>bytes=1000-</c>) is sent on every hop.
    /// </summary>
    /// <exception cref="TwilioMediaRedirectException">A redirect could not be followed.</exception>
    public async Task<HttpResponseMessage> GetAsync(Uri url, RangeHeaderValue? range, CancellationToken cancellationToken)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        var current = url;
        for (var hop = 0; hop <= MaxRedirects; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (IsApiHost(current) && !string.IsNullOrEmpty(_twilio.AccountSid))
            {
                request.Headers.Authorization = _twilio.BasicAuthorization();
            }
            request.Headers.Range = range;
            var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is not (301 or 302 or 303 or 307 or 308))
            {
                return response;
            }
            using (response)
            {
                if (response.Headers.Location is not { } location)
                {
                    throw new TwilioMediaRedirectException(status, $"HTTP {status} without a Location");
                }
                current = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (current.Scheme is not ("https" or "http"))
                {
                    throw new TwilioMediaRedirectException(status, "a redirect to a non-http(s) URL");
                }
            }
        }
        throw new TwilioMediaRedirectException(0, $"more than {MaxRedirects} redirects");
    }

    private bool IsApiHost(Uri uri) =>
        string.Equals(uri.Host, _apiBase.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == _apiBase.Port
        && uri.Scheme == _apiBase.Scheme;
}
