using CallPipeline.Data.Tracing;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace CallPipeline.Data.Configurations;

internal static class TraceContextConfiguration
{
    /// <summary>The <c>trace_parent</c> and <c>trace_state</c> columns of a row that carries a trace.</summary>
    public static void HasTraceContext<TRow>(this EntityTypeBuilder<TRow> builder) where TRow : class, ITraceCarrier
    {
        builder.Property(r => r.TraceParent).HasMaxLength(TraceContext.MaxTraceParentLength);
        builder.Property(r => r.TraceState).HasMaxLength(TraceContext.MaxTraceStateLength);
    }
}
