using Twilio.Http;

namespace CallPipeline.Twilio.Rest;

/// <summary>
/// The SDK's own adapter onto <see cref="System.Net.Http.HttpClient"/> (ours, from IHttpClientFactory, so its resilience
/// handler and HttpClient telemetry apply), sending what the SDK addresses to <c>api.twilio.com</c> to
/// <see cref="TwilioOptions.ApiBaseUrl"/> instead. The SDK has no base-URL setting: it builds every URL as
/// <c>https://{domain}.twilio.com/…</c>, and its edge and region options only add labels to that host, so they cannot
/// reach a double on 127.0.0.1. Rewriting here, before the request becomes an HttpRequestMessage, keeps logs, traces and
/// the resilience pipeline on the URL actually called. <see cref="Request.Uri"/> has no public setter, hence a copy.
/// </summary>
internal sealed class TwilioApiHttpClient(System.Net.Http.HttpClient http, Uri apiBase) : SystemNetHttpClient(http)
{
    private const string TwilioApiHost = "api.twilio.com";

    public override Task<Response> MakeRequestAsync(Request request) => base.MakeRequestAsync(Rebase(request));

    private Request Rebase(Request request)
    {
        if (!string.Equals(request.Uri.Host, TwilioApiHost, StringComparison.OrdinalIgnoreCase) || request.Region is not null || request.Edge is not null)
        {
            throw new InvalidOperationException($"Only Twilio's {TwilioApiHost} without region or edge is configured; the SDK asked for {request.Uri.Host}.");
        }
        if (string.Equals(apiBase.Host, TwilioApiHost, StringComparison.OrdinalIgnoreCase) && apiBase.Scheme == Uri.UriSchemeHttps && apiBase.IsDefaultPort)
        {
            return request;
        }

        var rebased = new Request(request.Method, apiBase.GetLeftPart(UriPartial.Path).TrimEnd('/') + request.Uri.PathAndQuery)
        {
            Username = request.Username,
            Password = request.Password,
            AuthStrategy = request.AuthStrategy,
            UserAgentExtensions = request.UserAgentExtensions,
            ContentType = request.ContentType,
            Body = request.Body,
        };
        rebased.QueryParams.AddRange(request.QueryParams);
        rebased.PostParams.AddRange(request.PostParams);
        rebased.HeaderParams.AddRange(request.HeaderParams);
        return rebased;
    }
}
