using CallPipeline.Data.Tracing;
using CallPipeline.Worker.Telemetry;

namespace CallPipeline.Worker.Pipeline;

/// <summary>Runs each step of a job in its own span; a failure marks the span with the step's recorded reason.</summary>
public static class StepSpans
{
    public static async Task<T> InStepAsync<T>(string step, Func<Task<T>> work)
    {
        using var span = WorkerTraces.StartStep(step);
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
