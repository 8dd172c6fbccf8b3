using CallPipeline.Twilio.Rest;
using CallPipeline.Webhooks.Dispatch;
using CallPipeline.Worker.Queue;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Recordings;

/// <summary>
/// Fetches Twilio recording media: <c>.wav?RequestedChannels=2</c>, then <c>.wav</c>, then <c>.mp3</c>, with basic auth sent only
/// to the configured Twilio API host. Redirects are followed by hand so credentials never reach a CDN or any other host.
/// 404 (fresh recordings), 429 and 5xx are retried with exponential backoff within a budget.
/// Written by hand because Twilio's SDK fetches the recording's JSON resource but not its media: its Response holds the
/// body as a string, so audio would be decoded as text and buffered whole, with no size cap and no say over redirects.
/// </summary>
public sealed partial class TwilioRecordingDownloader(
    IHttpClientFactory httpClientFactory,
    IOptions<TwilioOptions> twilioOptions,
    IOptions<WorkerOptions> workerOptions,
    TimeProvider time,
    ILogger<TwilioRecordingDownloader> logger)
{
    public const string HttpClientName = "twilio-media";
    private const int MaxRedirects = 5;

    private static readonly (string Suffix, string Extension)[] Formats =
    [
        (".wav?RequestedChannels=2", ".wav"),
        (".wav", ".wav"),
        (".mp3", ".mp3"),
    ];

    private readonly TwilioOptions _twilio = twilioOptions.Value;
    /// <summary>Credentials are sent only to this host (api.twilio.com, or the Twilio double locally).</summary>
    private readonly Uri _apiBase = new(twilioOptions.Value.ApiBaseUrl);
    private readonly WorkerOptions _worker = workerOptions.Value;

    public async Task<RecordingDownload> DownloadAsync(string callSid, string recordingUrl, Func<string, string> targetPathFor, CancellationToken cancellationToken)
    {
        if (!TryResolve(recordingUrl, out var baseUrl, out var problem))
        {
            return new RecordingDownload(RecordingDownloadOutcome.Refused, problem);
        }

        var client = httpClientFactory.CreateClient(HttpClientName);
        var deadline = time.GetUtcNow() + _worker.DownloadRetryBudget;
        var delay = _worker.DownloadFirstRetryDelay;
        var round = 0;
        while (true)
        {
            round++;
            var transient = (string?)null;
            var refused = (string?)null;
            TimeSpan? retryAfter = null;
            foreach (var (suffix, extension) in Formats)
            {
                var target = targetPathFor(extension);
                var attempt = await TryFormatAsync(client, new Uri(baseUrl + suffix), target, cancellationToken);
                LogAttempt(logger, callSid, suffix, round, attempt.Status);
                switch (attempt.Kind)
                {
                    case AttemptKind.Downloaded:
                        return new RecordingDownload(RecordingDownloadOutcome.Downloaded, $"{suffix} after {round} round(s)", attempt.Bytes, extension);
                    case AttemptKind.Transient:
                        transient ??= attempt.Detail;
                        retryAfter ??= attempt.RetryAfter;
                        break;
                    case AttemptKind.Refused:
                        return new RecordingDownload(RecordingDownloadOutcome.Refused, attempt.Detail);
                    case AttemptKind.NextFormat:
                        refused ??= attempt.Detail;
                        break;
                }
            }

            if (transient is null)
            {
                return new RecordingDownload(RecordingDownloadOutcome.Refused, refused ?? "no format was available");
            }
            var wait = retryAfter is { } hint && hint > delay ? hint : delay;
            if (time.GetUtcNow() + wait > deadline)
            {
                return new RecordingDownload(RecordingDownloadOutcome.Unavailable, $"{transient} (gave up after {round} round(s))");
            }
            await Task.Delay(wait, time, cancellationToken);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _worker.DownloadMaxRetryDelay.Ticks));
        }
    }

    private bool TryResolve(string recordingUrl, out string baseUrl, out string problem)
    {
        baseUrl = "";
        var trimmed = recordingUrl.Trim();
        // Twilio's callback gives an absolute URL; API resources give it relative and with .json.
        if (!Uri.TryCreate(_apiBase, trimmed, out var absolute) || absolute.Scheme is not ("https" or "http"))
        {
            problem = "the RecordingUrl is not an http(s) URL";
            return false;
        }
        if (!IsTwilioApiHost(absolute))
        {
            problem = $"the RecordingUrl's host {absolute.Authority} is not the configured Twilio API host; credentials are not sent there";
            return false;
        }
        var path = absolute.GetLeftPart(UriPartial.Path);
        foreach (var extension in new[] { ".json", ".wav", ".mp3" })
        {
            if (path.EndsWith(extension, StringComparison.OrdinalIgnoreCase))
            {
                path = path[..^extension.Length];
            }
        }
        baseUrl = path;
        problem = "";
        return true;
    }

    private bool IsTwilioApiHost(Uri uri) =>
        string.Equals(uri.Host, _apiBase.Host, StringComparison.OrdinalIgnoreCase)
        && uri.Port == _apiBase.Port
        && uri.Scheme == _apiBase.Scheme;

    private async Task<Attempt> TryFormatAsync(HttpClient client, Uri url, string targetPath, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_worker.DownloadRequestTimeout);
        try
        {
            var current = url;
            for (var hop = 0; hop <= MaxRedirects; hop++)
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, current);
                if (IsTwilioApiHost(current) && !string.IsNullOrEmpty(_twilio.AccountSid))
                {
                    request.Headers.Authorization = _twilio.BasicAuthorization();
                }
                using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                var status = (int)response.StatusCode;
                if (status is 301 or 302 or 303 or 307 or 308)
                {
                    if (response.Headers.Location is not { } location)
                    {
                        return Attempt.Refuse(status, $"HTTP {status} without a Location");
                    }
                    current = location.IsAbsoluteUri ? location : new Uri(current, location);
                    if (current.Scheme is not ("https" or "http"))
                    {
                        return Attempt.Refuse(status, "a redirect to a non-http(s) URL");
                    }
                    continue;
                }
                return status switch
                {
                    200 => await SaveAsync(response, targetPath, timeout.Token),
                    404 or 408 or 429 or >= 500 => Attempt.Retry(status, $"HTTP {status} from the recording media", RetryPolicy.ParseRetryAfter(response.Headers.RetryAfter, time.GetUtcNow())),
                    401 or 403 => Attempt.Refuse(status, $"HTTP {status}: the Twilio credentials were refused"),
                    _ => Attempt.Next(status, $"HTTP {status} from the recording media"),
                };
            }
            return Attempt.Refuse(0, $"more than {MaxRedirects} redirects");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt.Retry(0, $"no answer within {_worker.DownloadRequestTimeout.TotalSeconds:0} s");
        }
        catch (HttpRequestException ex)
        {
            return Attempt.Retry(0, $"request failed: {ex.HttpRequestError}");
        }
        catch (IOException)
        {
            return Attempt.Retry(0, "the connection broke during the download");
        }
    }

    private async Task<Attempt> SaveAsync(HttpResponseMessage response, string targetPath, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentLength is { } length && length > _worker.MaxRecordingBytes)
        {
            return Attempt.Refuse(200, $"the recording is {length} bytes, over the cap of {_worker.MaxRecordingBytes}");
        }
        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var target = new FileStream(targetPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > _worker.MaxRecordingBytes)
            {
                return Attempt.Refuse(200, $"the recording is over the cap of {_worker.MaxRecordingBytes} bytes");
            }
            await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken);
        }
        return total == 0 ? Attempt.Retry(200, "the recording media was empty", null) : Attempt.Done(total);
    }

    [LoggerMessage(LogLevel.Debug, "Recording media for {CallSid}: {Format} in round {Round} answered {Status}")]
    private static partial void LogAttempt(ILogger logger, string callSid, string format, int round, int status);

    private enum AttemptKind
    {
        Downloaded,
        Transient,
        NextFormat,
        Refused,
    }

    private sealed record Attempt(AttemptKind Kind, int Status, string Detail, long Bytes = 0, TimeSpan? RetryAfter = null)
    {
        public static Attempt Done(long bytes) => new(AttemptKind.Downloaded, 200, "", bytes);

        public static Attempt Retry(int status, string detail, TimeSpan? retryAfter = null) => new(AttemptKind.Transient, status, detail, RetryAfter: retryAfter);

        public static Attempt Next(int status, string detail) => new(AttemptKind.NextFormat, status, detail);

        public static Attempt Refuse(int status, string detail) => new(AttemptKind.Refused, status, detail);
    }
}
