using System.Security.Cryptography;
using CallPipeline.Twilio.Security;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Twilio.Webhooks;

/// <summary>
/// Sends form POSTs as Twilio does: X-Twilio-Signature over the exact URL and the form (with the account's auth token),
/// an I-Twilio-Idempotency-Token that stays the same when a callback is sent again, and Twilio's User-Agent.
/// </summary>
public sealed partial class TwilioWebhookClient(HttpClient http, IOptionsMonitor<TwilioDoubleOptions> options, ILogger<TwilioWebhookClient> logger)
{
    /// <summary>A request whose answer matters (the TwiML request). Throws <see cref="HttpRequestException"/> when the server cannot be reached.</summary>
    public async Task<TwilioWebhookResponse> PostAsync(string url, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var target = WebhookTarget.Parse(url);
        using var request = Build(target, form, NewIdempotencyToken());
        try
        {
            using var response = await http.SendAsync(request, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            LogPosted(logger, target.LogUrl, (int)response.StatusCode);
            return new TwilioWebhookResponse((int)response.StatusCode, body);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new HttpRequestException($"no answer within {http.Timeout.TotalSeconds:0} s", ex);
        }
    }

    /// <summary>
    /// A status callback: Twilio does not care about the answer, and a failure only shows in its debugger. Sent twice
    /// when Twilio:Double:DuplicateCallbacks is on.
    /// </summary>
    public async Task NotifyAsync(string url, IReadOnlyList<KeyValuePair<string, string>> form, CancellationToken cancellationToken)
    {
        var target = WebhookTarget.Parse(url);
        var token = NewIdempotencyToken();
        var times = options.CurrentValue.Double.DuplicateCallbacks ? 2 : 1;
        for (var i = 0; i < times; i++)
        {
            try
            {
                using var request = Build(target, form, token);
                using var response = await http.SendAsync(request, cancellationToken);
                LogPosted(logger, target.LogUrl, (int)response.StatusCode);
            }
            catch (HttpRequestException ex)
            {
                LogCallbackFailed(logger, target.LogUrl, ex.HttpRequestError.ToString());
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                LogCallbackFailed(logger, target.LogUrl, $"no answer within {http.Timeout.TotalSeconds:0} s");
            }
        }
    }

    private HttpRequestMessage Build(WebhookTarget target, IReadOnlyList<KeyValuePair<string, string>> form, string idempotencyToken)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, target.RequestUrl) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Add(TwilioSignature.HeaderName, TwilioSignature.Compute(options.CurrentValue.AuthToken, target.SigningUrl, form));
        if (target.BasicAuthorization is { } credentials)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", credentials);
        }
        request.Headers.Add("I-Twilio-Idempotency-Token", idempotencyToken);
        request.Headers.TryAddWithoutValidation("User-Agent", "TwilioProxy/1.1");
        return request;
    }

    private static string NewIdempotencyToken() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    [LoggerMessage(Level = LogLevel.Information, Message = "Twilio double: POST {Url} answered {StatusCode}")]
    private static partial void LogPosted(ILogger logger, string url, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Twilio double: callback to {Url} failed: {Reason}")]
    private static partial void LogCallbackFailed(ILogger logger, string url, string reason);
}
