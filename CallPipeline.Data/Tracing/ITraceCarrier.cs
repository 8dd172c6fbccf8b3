namespace CallPipeline.Data.Tracing;

/// <summary>A row that stores the trace context of the span that created it (a call, an outbox message, a webhook delivery).</summary>
public interface ITraceCarrier
{
    /// <summary>W3C <c>traceparent</c>.</summary>
    string? TraceParent { get; set; }

    /// <summary>W3C <c>tracestate</c>, when the trace has one.</summary>
    string? TraceState { get; set; }
}

public static class TraceCarrierExtensions
{
    public static TraceContext? GetTrace(this ITraceCarrier row) => TraceContext.From(row.TraceParent, row.TraceState);

    public static void SetTrace(this ITraceCarrier row, TraceContext? trace)
    {
        row.TraceParent = trace?.TraceParent;
        row.TraceState = trace?.TraceState;
    }

    /// <summary>Stores <paramref name="trace"/> unless the row already has a trace: the first request of a call establishes it.</summary>
    public static void EstablishTrace(this ITraceCarrier row, TraceContext? trace)
    {
        if (row.TraceParent is null)
        {
            row.SetTrace(trace);
        }
    }
}
