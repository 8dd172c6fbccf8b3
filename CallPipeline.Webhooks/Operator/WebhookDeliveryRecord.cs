using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Webhooks.Operator;

/// <summary>A call's webhook delivery as operators see it: its state and every attempt, without the payload.</summary>
public sealed record WebhookDeliveryRecord(
    string WebhookId,
    string EventType,
    string Status,
    string TargetUrl,
    int AttemptsThisRound,
    DateTimeOffset CreatedAt,
    DateTimeOffset? NextAttemptAt,
    DateTimeOffset? DeliveredAt,
    int? LastStatusCode,
    string? LastError,
    IReadOnlyList<WebhookAttemptRecord> Attempts)
{
    /// <summary>The deliveries of one call, oldest first, for the operator API's call record.</summary>
    public static async Task<IReadOnlyList<WebhookDeliveryRecord>> ForCallAsync(CallPipelineDbContext db, long callLogId, CancellationToken cancellationToken)
    {
        var deliveries = await db.WebhookDeliveries.AsNoTracking()
            .Where(d => d.CallLogId == callLogId)
            .Include(d => d.Attempts)
            .OrderBy(d => d.Id)
            .ToListAsync(cancellationToken);
        return [.. deliveries.Select(From)];
    }

    public static WebhookDeliveryRecord From(WebhookDelivery delivery) => new(
        delivery.WebhookId,
        delivery.EventType,
        SnakeCaseEnumConverter<WebhookDeliveryStatus>.ToSnakeCase(delivery.Status.ToString()),
        delivery.TargetUrl,
        delivery.AttemptCount,
        delivery.CreatedAt,
        delivery.Status == WebhookDeliveryStatus.Pending ? delivery.NextAttemptAt : null,
        delivery.DeliveredAt,
        delivery.LastStatusCode,
        delivery.LastError,
        [.. delivery.Attempts.OrderBy(a => a.AttemptNumber).Select(a => new WebhookAttemptRecord(a.AttemptNumber, a.AttemptedAt, a.StatusCode, a.LatencyMs, a.Error))]);
}

public sealed record WebhookAttemptRecord(int AttemptNumber, DateTimeOffset AttemptedAt, int? StatusCode, int LatencyMs, string? Error);
