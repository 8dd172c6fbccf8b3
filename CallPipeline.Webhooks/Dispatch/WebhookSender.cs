using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using CallPipeline.ServiceDefaults.Http;
using CallPipeline.Webhooks.Signing;
using CallPipeline.Webhooks.Targets;
using Microsoft.Extensions.Options;

namespace CallPipeline.Webhooks.Dispatch;

/// <summary>Sends one signed attempt and classifies the answer. Never follows redirects and never retries by itself.</summary>
public sealed class WebhookSender(IHttpClientFactory httpClientFactory, TimeProvider timeProvider, IOptionsMonitor<WebhookDispatcherOptions> options)
{
    public const string HttpClientName = "webhooks";
    private static readonly MediaTypeHeaderValue Json = new("application/json");
    private static readonly ProductInfoHeaderValue UserAgent = new("CallPipeline-Webhooks", "1.0");

    public async Task<AttemptOutcome> SendAsync(ClaimedDelivery delivery)
    {
        var timeout = options.CurrentValue.Timeout;
        var body = Encoding.UTF8.GetBytes(delivery.Payload);
        // The timestamp is this attempt's, so a retry an hour later is still inside the receiver's tolerance.
        var timestamp = timeProvider.GetUtcNow().ToUnixTimeSeconds();
        var signature = StandardWebhookSigner.Sign(delivery.WebhookId, timestamp, delivery.Payload, WebhookSecret.ParseList(delivery.Secret));

        using var request = new HttpRequestMessage(HttpMethod.Post, delivery.TargetUrl) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = Json;
        request.Headers.UserAgent.Add(UserAgent);
        request.Headers.TryAddWithoutValidation(StandardWebhookHeaders.Id, delivery.WebhookId);
        request.Headers.TryAddWithoutValidation(StandardWebhookHeaders.Timestamp, timestamp.ToString(CultureInfo.InvariantCulture));
        request.Headers.TryAddWithoutValidation(StandardWebhookHeaders.Signature, signature);

        using var timeoutSource = new CancellationTokenSource(timeout, timeProvider);
        var started = Stopwatch.GetTimestamp();
        try
        {
            var client = httpClientFactory.CreateClient(HttpClientName);
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeoutSource.Token);
            return Classify(response, Elapsed(started));
        }
        catch (OperationCanceledException) when (timeoutSource.IsCancellationRequested)
        {
            return new AttemptOutcome(AttemptResult.Failed, null, Elapsed(started), $"no response within {timeout.TotalSeconds:0.#} s", null);
        }
        catch (HttpRequestException exception)
        {
            return new AttemptOutcome(AttemptResult.Failed, null, Elapsed(started), Describe(exception), null);
        }
    }

    private AttemptOutcome Classify(HttpResponseMessage response, int latencyMs)
    {
        var status = (int)response.StatusCode;
        return status switch
        {
            >= 200 and < 300 => new AttemptOutcome(AttemptResult.Delivered, status, latencyMs, null, null),
            (int)HttpStatusCode.Gone => new AttemptOutcome(AttemptResult.Gone, status, latencyMs, "HTTP 410 Gone: the endpoint asked to stop receiving webhooks", null),
            >= 300 and < 400 => new AttemptOutcome(AttemptResult.Failed, status, latencyMs, $"HTTP {status}: redirects are not followed", null),
            (int)HttpStatusCode.TooManyRequests or (int)HttpStatusCode.ServiceUnavailable => new AttemptOutcome(
                AttemptResult.Failed, status, latencyMs, $"HTTP {status}", RetryAfter.Parse(response.Headers.RetryAfter, timeProvider.GetUtcNow())),
            _ => new AttemptOutcome(AttemptResult.Failed, status, latencyMs, $"HTTP {status}", null),
        };
    }

    // Kinds and socket codes only: exception messages can carry the URL, and URLs can carry tokens.
    private static string Describe(HttpRequestException exception)
    {
        if (Find<InternalTargetRefusedException>(exception) is not null)
        {
            return "refused: the host resolves only to internal addresses";
        }

        var socketError = Find<SocketException>(exception)?.SocketErrorCode;
        var kind = exception.HttpRequestError switch
        {
            HttpRequestError.NameResolutionError => "name resolution failed",
            HttpRequestError.ConnectionError => "connection failed",
            HttpRequestError.SecureConnectionError => "TLS handshake failed",
            HttpRequestError.ResponseEnded => "connection closed before the response",
            HttpRequestError.InvalidResponse => "invalid HTTP response",
            _ => "request failed",
        };
        return socketError is { } code ? $"{kind} ({code})" : kind;
    }

    private static TException? Find<TException>(Exception exception) where TException : Exception
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is TException match)
            {
                return match;
            }
        }
        return null;
    }

    private static int Elapsed(long started) => (int)Math.Min(int.MaxValue, Stopwatch.GetElapsedTime(started).TotalMilliseconds);
}
