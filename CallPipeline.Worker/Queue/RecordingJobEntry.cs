using CallPipeline.Data.Messages;
using CallPipeline.Data.Tracing;
using StackExchange.Redis;

namespace CallPipeline.Worker.Queue;

/// <summary>Reads a <see cref="RecordingJob"/> out of a stream entry; an entry without the contract's fields is poison.</summary>
public static class RecordingJobEntry
{
    public static RecordingJob? TryParse(StreamEntry entry, out string? problem)
    {
        if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
        {
            problem = "the entry has no fields (deleted or trimmed while pending)";
            return null;
        }
        var callSid = (string?)entry[RecordingJob.CallSidField];
        var recordingSid = (string?)entry[RecordingJob.RecordingSidField];
        if (string.IsNullOrWhiteSpace(callSid) || callSid.Length > 64)
        {
            problem = $"the entry has no valid {RecordingJob.CallSidField}";
            return null;
        }
        if (recordingSid is null || recordingSid.Length > 64)
        {
            problem = $"the entry has no valid {RecordingJob.RecordingSidField}";
            return null;
        }
        problem = null;
        return new RecordingJob(callSid.Trim(), recordingSid.Trim());
    }

    /// <summary>The trace the entry continues (its traceparent and tracestate fields); null for an entry without one.</summary>
    public static TraceContext? TraceOf(StreamEntry entry) =>
        entry.IsNull || entry.Values is null ? null : TraceContext.Extract(name => (string?)entry[name]);
}
