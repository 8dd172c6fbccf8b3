using System.Diagnostics;
using CallPipeline.Data.Tracing;
using CallPipeline.Worker.Pipeline;
using CallPipeline.Worker.Queue;
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

    public static Activity? StartProcessing(StreamEntry entry, WorkerOptions options)
    {
        var trace = RecordingJobEntry.TraceOf(entry);
        var span = Source.StartActivity($"process {options.Stream}", ActivityKind.Consumer, trace?.ToParent() ?? default);
        span?.SetTag(TraceTags.MessagingSystem, TraceTags.Redis);
        span?.SetTag(TraceTags.MessagingDestinationName, options.Stream);
        span?.SetTag(TraceTags.MessagingOperationType, "process");
        span?.SetTag(TraceTags.MessagingOperationName, "process");
        span?.SetTag(TraceTags.MessagingConsumerGroupName, options.ConsumerGroup);
        span?.SetTag(TraceTags.MessagingMessageId, entry.Id.ToString());
        return span;
    }

    /// <summary>Runs one step in a span named after it; a failure marks the span with the step's recorded reason.</summary>
    public static async Task<T> InStepAsync<T>(string step, Func<Task<T>> work)
    {
        using var span = Source.StartActivity(step);
        try
        {
            return await work();
        }
        catch (Exception exception)
        {
            span.Fail(exception.GetType().Name, Reason(exception));
            throw;
        }
    }

    public static Task InStepAsync(string step, Func<Task> work) => InStepAsync(step, async () =>
    {
        await work();
        return true;
    });

    /// <summary>A job's failure: the pipeline's own reasons are safe to show (they are what the call log records); anything else only by its type.</summary>
    public static string Reason(Exception exception) =>
        exception is PermanentPipelineException or TransientPipelineException ? exception.Message : exception.GetType().Name;
}
