using CallPipeline.Data.Entities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallPipeline.Webhooks.Dispatch;

/// <summary>
/// Sends due webhook deliveries. Any number of replicas may run: each claims its own rows under lock.
/// On shutdown it stops claiming but lets the attempts in flight finish and be recorded (each is bounded by the timeout).
/// </summary>
public sealed partial class WebhookDispatcher(
    IServiceScopeFactory scopeFactory,
    WebhookSender sender,
    WebhookDispatchSignal signal,
    TimeProvider timeProvider,
    IOptionsMonitor<WebhookDispatcherOptions> options,
    ILogger<WebhookDispatcher> logger) : BackgroundService
{
    private static readonly TimeSpan DefaultPollInterval = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxClaimBackoff = TimeSpan.FromSeconds(30);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var consecutiveFailures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            var idle = DefaultPollInterval;
            try
            {
                var settings = options.CurrentValue;
                idle = settings.PollInterval;
                IReadOnlyList<ClaimedDelivery> claimed;
                await using (var scope = scopeFactory.CreateAsyncScope())
                {
                    claimed = await scope.ServiceProvider.GetRequiredService<WebhookDeliveryStore>().ClaimDueAsync(stoppingToken);
                }
                consecutiveFailures = 0;

                if (claimed.Count > 0)
                {
                    // Not bound to stoppingToken: attempts in flight finish and are recorded (each is bounded by the timeout).
                    await Parallel.ForEachAsync(claimed, new ParallelOptions { MaxDegreeOfParallelism = claimed.Count }, (delivery, _) => AttemptAsync(delivery));
                }

                // A full batch means more may be due right now.
                if (claimed.Count == settings.BatchSize)
                {
                    continue;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception exception)
            {
                // The database is the queue: while it is unreachable, wait (longer each time) and try again.
                consecutiveFailures++;
                idle = TimeSpan.FromTicks(Math.Min(MaxClaimBackoff.Ticks, idle.Ticks << Math.Min(consecutiveFailures, 10)));
                LogClaimFailed(logger, exception, idle);
            }

            try
            {
                await signal.WaitAsync(idle, timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async ValueTask AttemptAsync(ClaimedDelivery delivery)
    {
        using var span = WebhookTraces.StartAttempt(delivery);
        var outcome = await sender.SendAsync(delivery);
        span.Record(outcome);
        try
        {
            await using var scope = scopeFactory.CreateAsyncScope();
            var recorded = await scope.ServiceProvider.GetRequiredService<WebhookDeliveryStore>().RecordAsync(delivery, outcome, CancellationToken.None);
            LogAttempt(delivery, outcome, recorded);
        }
        catch (Exception exception)
        {
            // Left to the lease: the delivery is sent again under the same webhook-id once it runs out.
            LogRecordFailed(logger, exception, delivery.WebhookId, delivery.CallSid, delivery.AttemptNumber, outcome.StatusCode);
        }
    }

    private void LogAttempt(ClaimedDelivery delivery, AttemptOutcome outcome, RecordedAttempt recorded)
    {
        var status = outcome.StatusCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none";
        switch (recorded.Status)
        {
            case WebhookDeliveryStatus.Delivered:
                LogDelivered(logger, delivery.WebhookId, delivery.CallSid, delivery.AttemptNumber, status, outcome.LatencyMs);
                break;
            case WebhookDeliveryStatus.Pending:
                LogWillRetry(logger, delivery.WebhookId, delivery.CallSid, delivery.AttemptNumber, status, outcome.LatencyMs, outcome.Error, recorded.NextAttemptAt);
                break;
            case null:
                LogSuperseded(logger, delivery.WebhookId, delivery.CallSid, delivery.AttemptNumber, status, outcome.LatencyMs);
                break;
            default:
                LogStopped(logger, delivery.WebhookId, delivery.CallSid, delivery.AttemptNumber, status, outcome.LatencyMs, outcome.Error, recorded.Status.Value);
                break;
        }
    }

    [LoggerMessage(30, LogLevel.Information, "Webhook {WebhookId} for call {CallSid} attempt {Attempt}: delivered, status {StatusCode} in {LatencyMs} ms")]
    private static partial void LogDelivered(ILogger logger, string webhookId, string callSid, int attempt, string statusCode, int latencyMs);

    [LoggerMessage(31, LogLevel.Warning, "Webhook {WebhookId} for call {CallSid} attempt {Attempt}: failed, status {StatusCode} in {LatencyMs} ms ({Error}); next attempt at {NextAttemptAt:O}")]
    private static partial void LogWillRetry(ILogger logger, string webhookId, string callSid, int attempt, string statusCode, int latencyMs, string? error, DateTimeOffset? nextAttemptAt);

    [LoggerMessage(32, LogLevel.Error, "Webhook {WebhookId} for call {CallSid} attempt {Attempt}: status {StatusCode} in {LatencyMs} ms ({Error}); delivery {DeliveryStatus}")]
    private static partial void LogStopped(ILogger logger, string webhookId, string callSid, int attempt, string statusCode, int latencyMs, string? error, WebhookDeliveryStatus deliveryStatus);

    [LoggerMessage(33, LogLevel.Information, "Webhook {WebhookId} for call {CallSid} attempt {Attempt}: status {StatusCode} in {LatencyMs} ms, recorded as history (a newer attempt owns the delivery)")]
    private static partial void LogSuperseded(ILogger logger, string webhookId, string callSid, int attempt, string statusCode, int latencyMs);

    [LoggerMessage(34, LogLevel.Error, "Webhook {WebhookId} for call {CallSid} attempt {Attempt}: status {StatusCode} could not be recorded; it is sent again when its lease runs out")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, string webhookId, string callSid, int attempt, int? statusCode);

    [LoggerMessage(35, LogLevel.Warning, "Could not claim due webhook deliveries; trying again in {Backoff}")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, TimeSpan backoff);
}
