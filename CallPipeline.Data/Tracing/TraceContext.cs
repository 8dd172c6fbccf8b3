using System.Diagnostics;

namespace CallPipeline.Data.Tracing;

/// <summary>
/// A span's W3C trace context (<c>traceparent</c> and <c>tracestate</c>) as a row stores it and a stream entry carries it,
/// so work that resumes later, in another process or after a restart, continues the same distributed trace.
/// </summary>
public sealed record TraceContext(string TraceParent, string? TraceState)
{
    public const string TraceParentField = "traceparent";
    public const string TraceStateField = "tracestate";
    /// <summary><c>00-{32 hex}-{16 hex}-{2 hex}</c>.</summary>
    public const int MaxTraceParentLength = 55;
    /// <summary>What W3C asks every vendor to propagate at least; a longer tracestate is dropped, the traceparent kept.</summary>
    public const int MaxTraceStateLength = 512;

    private static readonly DistributedContextPropagator Propagator = DistributedContextPropagator.CreateW3CPropagator();

    /// <summary>The context of <paramref name="span"/>; null without a span.</summary>
    public static TraceContext? Of(Activity? span)
    {
        if (span is null)
        {
            return null;
        }
        string? traceParent = null;
        string? traceState = null;
        Propagator.Inject(span, null, (_, name, value) =>
        {
            if (name == TraceParentField)
            {
                traceParent = value;
            }
            else if (name == TraceStateField)
            {
                traceState = value;
            }
        });
        return From(traceParent, traceState);
    }

    /// <summary>The context stored or carried as these two values; null when the traceparent is missing or not W3C.</summary>
    public static TraceContext? From(string? traceParent, string? traceState)
    {
        if (traceParent is null || traceParent.Length > MaxTraceParentLength || !ActivityContext.TryParse(traceParent, null, isRemote: true, out _))
        {
            return null;
        }
        return new TraceContext(traceParent, string.IsNullOrEmpty(traceState) || traceState.Length > MaxTraceStateLength ? null : traceState);
    }

    /// <summary>The context in a carrier of named fields (a stream entry), read with the W3C propagator.</summary>
    public static TraceContext? Extract(Func<string, string?> field)
    {
        Propagator.ExtractTraceIdAndState(field, static (carrier, name, out value, out values) =>
        {
            value = ((Func<string, string?>)carrier!)(name);
            values = null;
        }, out var traceParent, out var traceState);
        return From(traceParent, traceState);
    }

    /// <summary>Writes the <c>traceparent</c> and <c>tracestate</c> fields to a carrier.</summary>
    public void Inject(Action<string, string> field)
    {
        field(TraceParentField, TraceParent);
        if (TraceState is not null)
        {
            field(TraceStateField, TraceState);
        }
    }

    /// <summary>The remote parent of a span that continues this trace.</summary>
    public ActivityContext ToParent() => ActivityContext.TryParse(TraceParent, TraceState, isRemote: true, out var parent) ? parent : default;
}
