using CallPipeline.Data;
using CallPipeline.Data.Entities;

namespace CallPipeline.Webhooks;

/// <summary>The event types a business receives about its calls.</summary>
public static class CallWebhooks
{
    public const string CallCompleted = "call.completed";
    public const string CallMissed = "call.missed";

    /// <summary>
    /// Adds the delivery for <paramref name="call"/> to <paramref name="db"/> without saving, so it is committed
    /// in the caller's transaction together with the data it reports. One delivery per call and event type.
    /// </summary>
    public static Task<WebhookDelivery?> AddDeliveryAsync(CallPipelineDbContext db, CallLog call, string eventType, CancellationToken cancellationToken) =>
        throw new NotImplementedException("Implemented with the webhook dispatcher (issue 5).");
}
