using System.Diagnostics;
using CallPipeline.Data.Tracing;

namespace CallPipeline.Tests.Data;

/// <summary>The W3C trace context as rows store it and stream entries carry it.</summary>
public sealed class TraceContextTests
{
    // Example values of the W3C Trace Context recommendation; see SOURCES.md.
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
    private const string TraceState = "congo=t61rcWkgMzE,rojo=00f067aa0ba902b7";

    [Fact]
    public void A_span_gives_its_traceparent_and_tracestate()
    {
        using var span = new Activity("test").SetParentId(TraceParent);
        span.TraceStateString = TraceState;
        span.Start();

        var trace = TraceContext.Of(span)!;

        Assert.Equal(span.Id, trace.TraceParent);
        Assert.Equal(TraceState, trace.TraceState);
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", trace.ToParent().TraceId.ToHexString());
    }

    [Fact]
    public void A_carrier_round_trip_gives_a_remote_parent_in_the_same_trace()
    {
        var fields = new Dictionary<string, string>();
        new TraceContext(TraceParent, TraceState).Inject((name, value) => fields[name] = value);

        var parent = TraceContext.Extract(name => fields.GetValueOrDefault(name))!.ToParent();

        Assert.Equal(["traceparent", "tracestate"], fields.Keys.Order());
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", parent.TraceId.ToHexString());
        Assert.Equal("b7ad6b7169203331", parent.SpanId.ToHexString());
        Assert.Equal(ActivityTraceFlags.Recorded, parent.TraceFlags);
        Assert.Equal(TraceState, parent.TraceState);
        Assert.True(parent.IsRemote);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("not-a-traceparent")]
    [InlineData("00-00000000000000000000000000000000-b7ad6b7169203331-01")]
    [InlineData("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01-extra-and-far-too-long")]
    public void Anything_but_a_w3c_traceparent_is_no_trace(string? traceParent)
    {
        Assert.Null(TraceContext.From(traceParent, TraceState));
        Assert.Null(TraceContext.Extract(name => name == TraceContext.TraceParentField ? traceParent : null));
    }

    [Fact]
    public void An_oversized_tracestate_is_dropped_and_the_traceparent_kept()
    {
        var trace = TraceContext.From(TraceParent, "vendor=" + new string('x', TraceContext.MaxTraceStateLength))!;

        Assert.Equal(TraceParent, trace.TraceParent);
        Assert.Null(trace.TraceState);
    }

    [Fact]
    public void A_row_keeps_the_trace_its_first_request_established()
    {
        var call = new CallPipeline.Data.Entities.CallLog { CallSid = "CA1" };
        call.EstablishTrace(new TraceContext(TraceParent, TraceState));
        call.EstablishTrace(new TraceContext("00-11111111111111111111111111111111-2222222222222222-01", null));

        Assert.Equal((TraceParent, TraceState), (call.TraceParent, call.TraceState));
    }
}
