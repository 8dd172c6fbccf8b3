using System.Diagnostics;
using CallPipeline.Data.Tracing;
using CallPipeline.RecordingJobs;
using StackExchange.Redis;

namespace CallPipeline.Worker.Telemetry;

/// <summary>
/// The worker's spans: one consumer span per stream entry, continuing the trace whose traceparent the entry carries (the
/// gateway's publish, in the call's trace), and one child span per pipeline step.
/// </summary>
public static class WorkerTraces
{
    /// <summary>Named after the application, which the service defaults register for export.</summary>
    public const string ActivitySourceName = "CallPipeline.Worker";
    public const string JobOutcome = "callpipeline.job.outcome";

    private static readonly ActivitySource Source = new(ActivitySourceName);

    public static Activity? StartProcessing(StreamEntry entry, RecordingJobStreamOptions options)
    {
        var trace = RecordingJobStream.TraceOf(entry);
        var span = Source.StartActivity($"process {options.Stream}", ActivityKind.Consumer, trace?.ToParent() ?? default);
        span?.SetTag(TraceTags.MessagingSystem, TraceTags.Redis);
        span?.SetTag(TraceTags.MessagingDestinationName, options.Stream);
        span?.SetTag(TraceTags.MessagingOperationType, "process");
        span?.SetTag(TraceTags.MessagingOperationName, "process");
        span?.SetTag(TraceTags.MessagingConsumerGroupName, options.ConsumerGroup);
        span?.SetTag(TraceTags.MessagingMessageId, entry.Id.ToString());
        return span;
    }

    /// <summary>A pipeline step's span, named after the step, a child of the job's.</summary>
    public static Activity? StartStep(string step) => Source.StartActivity(step);
}
