using CallPipeline.Twilio.Rest;
using CallPipeline.ServiceDefaults.Http;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Recordings;

/// <summary>
/// Fetches Twilio recording media: <c>.wav?RequestedChannels=2</c>, then <c>.wav</c>, then <c>.mp3</c>, through
/// <see cref="TwilioMediaClient"/> (credentials to the API host only, redirects by hand). 404 (fresh recordings), 429 and
/// 5xx are retried with exponential backoff within a budget.
/// </summary>
public sealed partial class TwilioRecordingDownloader(
    TwilioMediaClient media,
    IOptions<DownloadOptions> downloadOptions,
    TimeProvider time,
    ILogger<TwilioRecordingDownloader> logger)
{
    private static readonly (string Suffix, string Extension)[] Formats =
    [
        (".wav?RequestedChannels=2", ".wav"),
        (".wav", ".wav"),
        (".mp3", ".mp3"),
    ];

    private readonly DownloadOptions _options = downloadOptions.Value;

    public async Task<RecordingDownload> DownloadAsync(string callSid, string recordingUrl, Func<string, string> targetPathFor, CancellationToken cancellationToken)
    {
        if (media.ResolveMediaBase(recordingUrl, out var problem) is not { } baseUrl)
        {
            return new RecordingDownload(RecordingDownloadOutcome.Refused, problem);
        }

        var deadline = time.GetUtcNow() + _options.DownloadRetryBudget;
        var delay = _options.DownloadFirstRetryDelay;
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
                var attempt = await TryFormatAsync(new Uri(baseUrl + suffix), target, cancellationToken);
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
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.DownloadMaxRetryDelay.Ticks));
        }
    }

    private async Task<Attempt> TryFormatAsync(Uri url, string targetPath, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.DownloadRequestTimeout);
        try
        {
            using var response = await media.GetAsync(url, range: null, timeout.Token);
            var status = (int)response.StatusCode;
            return status switch
            {
                200 => await SaveAsync(response, targetPath, timeout.Token),
                404 or 408 or 429 or >= 500 => Attempt.Retry(status, $"HTTP {status} from the recording media", RetryAfter.Parse(response.Headers.RetryAfter, time.GetUtcNow())),
                401 or 403 => Attempt.Refuse(status, $"HTTP {status}: the Twilio credentials were refused"),
                _ => Attempt.Next(status, $"HTTP {status} from the recording media"),
            };
        }
        catch (TwilioMediaRedirectException ex)
        {
            return Attempt.Refuse(ex.StatusCode, ex.Message);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return Attempt.Retry(0, $"no answer within {_options.DownloadRequestTimeout.TotalSeconds:0} s");
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
        if (response.Content.Headers.ContentLength is { } length && length > _options.MaxRecordingBytes)
        {
            return Attempt.Refuse(200, $"the recording is {length} bytes, over the cap of {_options.MaxRecordingBytes}");
        }
        await using var source = await response.Content.ReadAsStreamAsync(cancellationToken);
        await using var target = new FileStream(targetPath, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true);
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await source.ReadAsync(buffer, cancellationToken)) > 0)
        {
            total += read;
            if (total > _options.MaxRecordingBytes)
            {
                return Attempt.Refuse(200, $"the recording is over the cap of {_options.MaxRecordingBytes} bytes");
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
