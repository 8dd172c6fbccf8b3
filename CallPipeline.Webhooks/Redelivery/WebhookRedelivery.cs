using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Webhooks.Redelivery;

/// <summary>
/// Sends a call's webhooks again: same payload, same webhook-id (so a receiver that already has it keeps one),
/// a fresh retry schedule starting now.
/// </summary>
public sealed partial class WebhookRedelivery(CallPipelineDbContext db, ILogger<WebhookRedelivery> logger, TimeProvider? timeProvider = null)
{
    /// <param name="eventType">Only this event type, or every delivery of the call when null.</param>
    /// <returns>The deliveries queued again; null when the call does not exist.</returns>
    public async Task<IReadOnlyList<WebhookDelivery>?> RedeliverAsync(string callSid, string? eventType, CancellationToken cancellationToken)
    {
        var callId = await db.CallLogs.Where(c => c.CallSid == callSid).Select(c => (long?)c.Id).SingleOrDefaultAsync(cancellationToken);
        if (callId is null)
        {
            return null;
        }

        var now = (timeProvider ?? TimeProvider.System).GetUtcNow();
        var deliveries = await db.WebhookDeliveries
            .Where(d => d.CallLogId == callId && (eventType == null || d.EventType == eventType))
            .OrderBy(d => d.Id)
            .ToListAsync(cancellationToken);
        foreach (var delivery in deliveries)
        {
            QueueAgain(delivery, now);
            LogRedelivery(logger, delivery.WebhookId, callSid, delivery.EventType);
        }

        await db.SaveChangesAsync(cancellationToken);
        return deliveries;
    }

    /// <summary>A fresh round for the delivery from <paramref name="now"/>, under its own webhook-id and with its own payload.</summary>
    public static void QueueAgain(WebhookDelivery delivery, DateTimeOffset now)
    {
        delivery.Status = WebhookDeliveryStatus.Pending;
        // AttemptCount counts the current round; attempt rows keep numbering on, so history is kept.
        delivery.AttemptCount = 0;
        delivery.NextAttemptAt = now;
        delivery.DeliveredAt = null;
        delivery.LastError = null;
        delivery.UpdatedAt = now;
    }

    [LoggerMessage(40, LogLevel.Information, "Webhook {WebhookId} for call {CallSid} ({EventType}) queued for redelivery")]
    private static partial void LogRedelivery(ILogger logger, string webhookId, string callSid, string eventType);
}
