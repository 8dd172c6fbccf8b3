using CallPipeline.Data;
using CallPipeline.Data.DeadLetters;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Webhooks.Secrets;
using CallPipeline.Webhooks.Signing;
using CallPipeline.Webhooks.Targets;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CallPipeline.Webhooks.Dispatch;

/// <summary>
/// The dispatcher's two transactions. Claim: lock due rows with FOR UPDATE SKIP LOCKED, push their next attempt
/// past a lease and write the attempt row, so no other replica sends the same attempt. Record: write the answer and
/// decide what happens next. A dispatcher that dies in between leaves an attempt row without an answer; when the
/// lease runs out the delivery is sent again under the same webhook-id and the receiver deduplicates.
/// </summary>
public sealed partial class WebhookDeliveryStore(
    CallPipelineDbContext db,
    TimeProvider timeProvider,
    IHostEnvironment environment,
    IOptionsMonitor<WebhookDispatcherOptions> options,
    ILogger<WebhookDeliveryStore> logger)
{
    /// <summary>What an attempt row says until its answer is recorded, and for ever if its dispatcher died.</summary>
    public const string NoAnswerRecorded = "no answer recorded (in flight, or the dispatcher stopped before recording it)";

    public async Task<IReadOnlyList<ClaimedDelivery>> ClaimDueAsync(CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        return await db.InTransactionAsync<IReadOnlyList<ClaimedDelivery>>(async ct =>
        {
            var now = timeProvider.GetUtcNow();
            var due = await db.WebhookDeliveries
                .FromSql($"""
                    SELECT * FROM webhook_deliveries
                    WHERE status = 'pending' AND next_attempt_at <= {now}
                    ORDER BY next_attempt_at
                    LIMIT {settings.BatchSize}
                    FOR UPDATE SKIP LOCKED
                    """)
                .ToListAsync(ct);
            if (due.Count == 0)
            {
                return [];
            }

            var deliveryIds = due.Select(d => d.Id).ToArray();
            var businessIds = due.Select(d => d.BusinessId).Distinct().ToArray();
            var callIds = due.Select(d => d.CallLogId).Distinct().ToArray();
            var businesses = await db.Businesses.Where(b => businessIds.Contains(b.Id)).ToDictionaryAsync(b => b.Id, ct);
            var callSids = await db.CallLogs.Where(c => callIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.CallSid, ct);
            var lastAttemptNumbers = await db.WebhookAttempts
                .Where(a => deliveryIds.Contains(a.WebhookDeliveryId))
                .GroupBy(a => a.WebhookDeliveryId)
                .Select(g => new { DeliveryId = g.Key, Last = g.Max(a => a.AttemptNumber) })
                .ToDictionaryAsync(x => x.DeliveryId, x => x.Last, ct);

            var claimed = new List<ClaimedDelivery>(due.Count);
            foreach (var delivery in due)
            {
                var callSid = callSids[delivery.CallLogId];
                businesses.TryGetValue(delivery.BusinessId, out var business);
                delivery.UpdatedAt = now;
                if (Unsendable(delivery, business) is { } reason)
                {
                    delivery.Status = reason.Status;
                    delivery.LastError = reason.Error;
                    if (reason.Status == WebhookDeliveryStatus.Failed)
                    {
                        await RecordDeadLetterAsync(delivery, now, ct);
                    }
                    LogNotSent(logger, delivery.WebhookId, callSid, reason.Status, reason.Error);
                    continue;
                }

                var attemptNumber = lastAttemptNumbers.GetValueOrDefault(delivery.Id) + 1;
                delivery.AttemptCount++;
                delivery.LastAttemptAt = now;
                delivery.NextAttemptAt = now + settings.ClaimLease;
                db.WebhookAttempts.Add(new WebhookAttempt
                {
                    WebhookDeliveryId = delivery.Id,
                    AttemptNumber = attemptNumber,
                    AttemptedAt = now,
                    Error = NoAnswerRecorded,
                });
                claimed.Add(new ClaimedDelivery(
                    delivery.Id, delivery.WebhookId, callSid, delivery.BusinessId, delivery.TargetUrl, delivery.Payload,
                    SigningSecrets.Of(business!, now)!, attemptNumber, delivery.AttemptCount, delivery.EventType, delivery.GetTrace()));
            }

            await db.SaveChangesAsync(ct);
            return claimed;
        }, cancellationToken);
    }

    /// <summary>Writes the attempt's answer and, unless a newer attempt took the delivery over, what happens next.</summary>
    public async Task<RecordedAttempt> RecordAsync(ClaimedDelivery claim, AttemptOutcome outcome, CancellationToken cancellationToken)
    {
        var settings = options.CurrentValue;
        return await db.InTransactionAsync(async ct =>
        {
            var now = timeProvider.GetUtcNow();
            var delivery = await db.WebhookDeliveries
                .FromSql($"SELECT * FROM webhook_deliveries WHERE id = {claim.DeliveryId} FOR UPDATE")
                .SingleAsync(ct);
            var attempt = await db.WebhookAttempts.SingleAsync(a => a.WebhookDeliveryId == claim.DeliveryId && a.AttemptNumber == claim.AttemptNumber, ct);
            attempt.StatusCode = outcome.StatusCode;
            attempt.LatencyMs = outcome.LatencyMs;
            attempt.Error = outcome.Error;

            // A later claim (after our lease ran out) owns the delivery now; this answer is history only.
            var superseded = delivery.Status != WebhookDeliveryStatus.Pending
                || await db.WebhookAttempts.AnyAsync(a => a.WebhookDeliveryId == claim.DeliveryId && a.AttemptNumber > claim.AttemptNumber, ct);
            DateTimeOffset? nextAttemptAt = null;
            if (!superseded)
            {
                delivery.LastStatusCode = outcome.StatusCode;
                delivery.LastError = outcome.Error;
                delivery.UpdatedAt = now;
                switch (outcome.Result)
                {
                    case AttemptResult.Delivered:
                        delivery.Status = WebhookDeliveryStatus.Delivered;
                        delivery.DeliveredAt = now;
                        break;
                    case AttemptResult.Gone:
                        delivery.Status = WebhookDeliveryStatus.Disabled;
                        await db.Businesses.Where(b => b.Id == delivery.BusinessId)
                            .ExecuteUpdateAsync(b => b.SetProperty(x => x.WebhooksEnabled, false).SetProperty(x => x.UpdatedAt, now), ct);
                        break;
                    case AttemptResult.Failed when RetryPolicy.NextDelay(settings, delivery.AttemptCount, outcome.RetryAfter, Random.Shared.NextDouble()) is { } delay:
                        nextAttemptAt = now + delay;
                        delivery.NextAttemptAt = nextAttemptAt.Value;
                        break;
                    default:
                        delivery.Status = WebhookDeliveryStatus.Failed;
                        delivery.LastError = Truncate($"gave up after {delivery.AttemptCount} attempts; last: {outcome.Error}", 1000);
                        await RecordDeadLetterAsync(delivery, now, ct);
                        break;
                }
            }

            await db.SaveChangesAsync(ct);
            return new RecordedAttempt(superseded ? null : delivery.Status, nextAttemptAt);
        }, cancellationToken);
    }

    /// <summary>The delivery gave up: a dead letter in the same transaction, with every attempt it made and its first failure.</summary>
    private async Task RecordDeadLetterAsync(WebhookDelivery delivery, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var attempts = db.WebhookAttempts.Where(a => a.WebhookDeliveryId == delivery.Id);
        var count = await attempts.CountAsync(cancellationToken);
        // The attempt being recorded is still saved as unanswered, so it counts as failed here too.
        var firstFailed = await attempts.Where(a => a.StatusCode == null || a.StatusCode >= 300).MinAsync(a => (DateTimeOffset?)a.AttemptedAt, cancellationToken);
        await DeadLetterWriter.RecordDeliveryAsync(db, delivery.Id, delivery.LastError ?? "gave up", count, firstFailed ?? now, now, cancellationToken);
    }

    private (WebhookDeliveryStatus Status, string Error)? Unsendable(WebhookDelivery delivery, Business? business)
    {
        if (business is null || !business.WebhooksEnabled)
        {
            return (WebhookDeliveryStatus.Disabled, "webhooks are turned off for the business");
        }
        if (!WebhookSecret.TryParseList(business.WebhookSecret, out _))
        {
            return (WebhookDeliveryStatus.Failed, "the business has no valid whsec_ signing secret; fix it and redeliver");
        }
        if (WebhookUrlValidator.Validate(delivery.TargetUrl, environment.IsDevelopment()) is { } urlError)
        {
            return (WebhookDeliveryStatus.Failed, $"target URL refused: {urlError}");
        }
        return null;
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];

    [LoggerMessage(20, LogLevel.Warning, "Webhook {WebhookId} for call {CallSid} not sent, marked {Status}: {Reason}")]
    private static partial void LogNotSent(ILogger logger, string webhookId, string callSid, WebhookDeliveryStatus status, string reason);
}

/// <summary>The delivery's state after an attempt was recorded; <see cref="Status"/> is null when a newer attempt owns it.</summary>
public sealed record RecordedAttempt(WebhookDeliveryStatus? Status, DateTimeOffset? NextAttemptAt);
