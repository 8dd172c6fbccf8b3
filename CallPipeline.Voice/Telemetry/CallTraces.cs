using System.Diagnostics;
using CallPipeline.Data.Tracing;

namespace CallPipeline.Voice.Telemetry;

/// <summary>
/// The gateway's spans. A call is one trace: its first request (Twilio's incoming-call webhook, or POST /api/calls for a
/// call we place) establishes the trace, which is stored with the call; Twilio's later requests carry no trace context,
/// so their spans start under the stored one and link to their own request span.
/// </summary>
public static class CallTraces
{
    /// <summary>Named after the application, which the service defaults register for export.</summary>
    public const string ActivitySourceName = "CallPipeline.Voice";

    public static readonly ActivitySource Source = new(ActivitySourceName);

    /// <summary>
    /// The span of one request about <paramref name="callSid"/>: under <paramref name="callTrace"/> when the call has one
    /// from an earlier request (linked both ways with this request's own span), otherwise under the request.
    /// </summary>
    public static Activity? StartForCall(string name, string callSid, TraceContext? callTrace)
    {
        var request = Activity.Current;
        Activity? span;
        if (callTrace?.ToParent() is { } parent && parent != default && parent.TraceId != request?.TraceId)
        {
            span = Source.StartActivity(name, ActivityKind.Internal, parent, links: request is null ? null : [new ActivityLink(request.Context)]);
            if (span is not null)
            {
                request?.AddLink(new ActivityLink(span.Context));
            }
        }
        else
        {
            span = Source.StartActivity(name, ActivityKind.Internal);
        }
        span?.SetTag(TraceTags.CallSid, callSid);
        return span;
    }

    /// <summary>
    /// The trace a call keeps when this request is its first: the request's own span, the parent of
    /// <paramref name="span"/> (or the span itself without a request span).
    /// </summary>
    public static TraceContext? ToEstablish(Activity? span) => TraceContext.Of(span is null ? Activity.Current : span.Parent ?? span);
}
