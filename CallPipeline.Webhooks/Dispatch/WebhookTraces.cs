using System.Diagnostics;
using System.Globalization;
using CallPipeline.Data.Tracing;

namespace CallPipeline.Webhooks.Dispatch;

/// <summary>
/// One span per delivery attempt, under the span that created the delivery (the worker's save step, or the gateway's
/// callback for a missed call), so every attempt of a call's webhook shows in the call's trace, also after a restart.
/// </summary>
public static class WebhookTraces
{
    /// <summary>Register it with the tracer of the host that runs the dispatcher.</summary>
    public const string ActivitySourceName = "CallPipeline.Webhooks";

    public const string WebhookId = "callpipeline.webhook.id";
    public const string EventType = "callpipeline.webhook.event_type";
    public const string Attempt = "callpipeline.webhook.attempt";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    public static Activity? StartAttempt(ClaimedDelivery delivery)
    {
        var span = Source.StartActivity($"deliver {delivery.EventType}", ActivityKind.Internal, delivery.Trace?.ToParent() ?? default);
        span?.SetTag(TraceTags.CallSid, delivery.CallSid);
        span?.SetTag(WebhookId, delivery.WebhookId);
        span?.SetTag(EventType, delivery.EventType);
        span?.SetTag(Attempt, delivery.AttemptNumber);
        return span;
    }

    /// <summary>The answer, never the URL, payload or the endpoint's body.</summary>
    public static void Record(this Activity? span, AttemptOutcome outcome)
    {
        if (outcome.StatusCode is { } status)
        {
            span?.SetTag(TraceTags.HttpResponseStatusCode, status);
        }
        if (outcome.Result != AttemptResult.Delivered)
        {
            span.Fail(outcome.StatusCode?.ToString(CultureInfo.InvariantCulture) ?? "no_response", outcome.Error);
        }
    }
}
