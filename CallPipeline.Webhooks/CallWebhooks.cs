using System.Diagnostics;
using System.Security.Cryptography;
using System.Text.Json;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Webhooks.Payloads;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Webhooks;

/// <summary>The event types a business receives about its calls.</summary>
public static partial class CallWebhooks
{
    public const string CallCompleted = "call.completed";
    public const string CallMissed = "call.missed";

    private const string WebhookIdPrefix = "msg_";

    /// <summary>
    /// Adds the delivery for <paramref name="call"/> to <paramref name="db"/> without saving, so it is committed
    /// in the caller's transaction together with the data it reports. One delivery per call and event type. The delivery
    /// keeps the current span's trace context: every attempt, however much later, continues that trace.
    /// </summary>
    /// <returns>
    /// The new delivery, the one that already exists for this call and event type, or null when the business
    /// receives no webhooks (none configured, turned off, or the call has no business).
    /// </returns>
    public static async Task<WebhookDelivery?> AddDeliveryAsync(CallPipelineDbContext db, CallLog call, string eventType, CancellationToken cancellationToken)
    {
        if (eventType is not (CallCompleted or CallMissed))
        {
            throw new ArgumentOutOfRangeException(nameof(eventType), eventType, $"Expected {CallCompleted} or {CallMissed}.");
        }

        var logger = db.GetService<ILoggerFactory>().CreateLogger(typeof(CallWebhooks).FullName!);

        if (await FindExistingAsync(db, call, eventType, cancellationToken) is { } existing)
        {
            LogAlreadyQueued(logger, eventType, call.CallSid, existing.WebhookId);
            return existing;
        }

        var business = call.Business
            ?? (call.BusinessId is { } businessId ? await db.Businesses.FindAsync([businessId], cancellationToken) : null);
        if (business is null)
        {
            LogNoBusiness(logger, eventType, call.CallSid);
            return null;
        }

        if (!business.WebhooksEnabled)
        {
            LogWebhooksDisabled(logger, eventType, call.CallSid, business.Id);
            return null;
        }

        var targetUrl = ChooseTargetUrl(business, call.Direction);
        if (targetUrl is null)
        {
            LogNoTarget(logger, eventType, call.CallSid, business.Id, call.Direction);
            return null;
        }

        var now = DateTimeOffset.UtcNow;
        var payload = CallWebhookPayloadFactory.Create(call, business.Id, eventType, now);
        var trace = TraceContext.Of(Activity.Current);
        var delivery = new WebhookDelivery
        {
            WebhookId = NewWebhookId(),
            CallLog = call,
            BusinessId = business.Id,
            EventType = eventType,
            TargetUrl = targetUrl,
            Payload = JsonSerializer.Serialize(payload, CallWebhookPayloadJsonContext.Wire.CallWebhookPayload),
            Status = WebhookDeliveryStatus.Pending,
            TraceParent = trace?.TraceParent,
            TraceState = trace?.TraceState,
            NextAttemptAt = now,
            CreatedAt = now,
            UpdatedAt = now,
        };
        db.WebhookDeliveries.Add(delivery);

        LogQueued(logger, call.CallSid, eventType, delivery.WebhookId, business.Id);
        return delivery;
    }

    /// <summary>The call's own direction picks the URL; the generic URL covers whatever is not set.</summary>
    public static string? ChooseTargetUrl(Business business, CallDirection direction)
    {
        var specific = direction == CallDirection.Outbound ? business.OutboundWebhookUrl : business.InboundWebhookUrl;
        return NullIfBlank(specific) ?? NullIfBlank(business.GenericWebhookUrl);
    }

    /// <summary>
    /// <c>msg_</c> and 24 random base62 characters (about 143 bits), the shape of the spec's examples.
    /// Fixed for the life of the delivery: it is the receiver's idempotency key across retries and redeliveries.
    /// </summary>
    public static string NewWebhookId() =>
        WebhookIdPrefix + RandomNumberGenerator.GetString("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz", 24);

    private static async Task<WebhookDelivery?> FindExistingAsync(CallPipelineDbContext db, CallLog call, string eventType, CancellationToken cancellationToken)
    {
        // Added in this unit of work but not saved yet (the caller may call twice before committing).
        var tracked = db.WebhookDeliveries.Local.FirstOrDefault(d => d.EventType == eventType && (ReferenceEquals(d.CallLog, call) || (call.Id != 0 && d.CallLogId == call.Id)));
        if (tracked is not null || call.Id == 0)
        {
            return tracked;
        }

        return await db.WebhookDeliveries.FirstOrDefaultAsync(d => d.CallLogId == call.Id && d.EventType == eventType, cancellationToken);
    }

    private static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    [LoggerMessage(1, LogLevel.Information, "Webhook queued for call {CallSid}: {EventType} as {WebhookId} to business {BusinessId}")]
    private static partial void LogQueued(ILogger logger, string callSid, string eventType, string webhookId, int businessId);

    [LoggerMessage(2, LogLevel.Information, "No {EventType} webhook for call {CallSid}: already queued as {WebhookId}")]
    private static partial void LogAlreadyQueued(ILogger logger, string eventType, string callSid, string webhookId);

    [LoggerMessage(3, LogLevel.Warning, "No {EventType} webhook for call {CallSid}: the call has no business")]
    private static partial void LogNoBusiness(ILogger logger, string eventType, string callSid);

    [LoggerMessage(4, LogLevel.Information, "No {EventType} webhook for call {CallSid}: webhooks are turned off for business {BusinessId}")]
    private static partial void LogWebhooksDisabled(ILogger logger, string eventType, string callSid, int businessId);

    [LoggerMessage(5, LogLevel.Information, "No {EventType} webhook for call {CallSid}: business {BusinessId} has no URL for {Direction} calls")]
    private static partial void LogNoTarget(ILogger logger, string eventType, string callSid, int businessId, CallDirection direction);
}
