using CallPipeline.Data.Entities;
using CallPipeline.RecordingJobs;
using CallPipeline.Worker.Queue;
using CallPipeline.Worker.Telemetry;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Runs one job through the steps. Every step is idempotent: a processed call is left alone, a saved transcript is not
/// fetched and transcribed again, and the final save happens once per call. Each step runs in a span of its own.
/// A failure that ends the job (permanent, or transient on the last delivery) is recorded on the call here.
/// </summary>
public sealed partial class RecordingJobProcessor(
    LoadCallStep load,
    FetchRecordingStep fetch,
    ConvertAudioStep convert,
    TranscribeStep transcribe,
    SummariseStep summarise,
    ExtractStep extract,
    SaveResultStep save,
    CallLease lease,
    CallProgress progress,
    WorkerMetrics metrics,
    ILogger<RecordingJobProcessor> logger) : IRecordingJobHandler
{
    public async Task<JobResult> HandleAsync(RecordingJob job, JobDelivery delivery, CancellationToken cancellationToken)
    {
        if (delivery.IsOverLimit)
        {
            // Delivered more often than allowed without an outcome (e.g. it kept killing its worker): stop here.
            var reason = $"delivered {delivery.Number} times without finishing";
            await progress.RecordFailureAsync(job.CallSid, reason, final: true, null, CancellationToken.None);
            return new JobResult(JobOutcome.Permanent, reason);
        }
        using var run = new PipelineRun(job, delivery.Number);
        var result = await RunAsync(run, delivery, cancellationToken);
        metrics.JobFinished(result.Outcome, run.StepTimings);
        return result;
    }

    private async Task<JobResult> RunAsync(PipelineRun run, JobDelivery delivery, CancellationToken cancellationToken)
    {
        var job = run.Job;
        try
        {
            if (!await StepSpans.InStepAsync(PipelineSteps.Load, () => load.RunAsync(run, cancellationToken)))
            {
                return new JobResult(JobOutcome.Poison, $"no call log has CallSid {job.CallSid}");
            }
            if (run.Call.PipelineStatus == PipelineStatus.Processed)
            {
                LogAlreadyProcessed(logger, job.CallSid);
                return new JobResult(JobOutcome.AlreadyProcessed);
            }
            if (!await lease.TryClaimAsync(run.Call, delivery.Owner, cancellationToken))
            {
                return new JobResult(JobOutcome.Busy);
            }

            if (run.Call.TranscriptSource is null)
            {
                await StepSpans.InStepAsync(PipelineSteps.Fetch, () => fetch.RunAsync(run, cancellationToken));
                await StepSpans.InStepAsync(PipelineSteps.Convert, () => convert.RunAsync(run, cancellationToken));
                await StepSpans.InStepAsync(PipelineSteps.Transcribe, () => transcribe.RunAsync(run, cancellationToken));
                await progress.SaveTranscriptAsync(run, cancellationToken);
            }
            else
            {
                LogTranscriptKept(logger, job.CallSid);
            }
            await StepSpans.InStepAsync(PipelineSteps.Summarise, () => summarise.RunAsync(run, cancellationToken));
            await StepSpans.InStepAsync(PipelineSteps.Extract, () => extract.RunAsync(run, cancellationToken));
            // The call.completed delivery is created in this span, so its attempts continue the call's trace.
            if (!await StepSpans.InStepAsync(PipelineSteps.Save, () => save.RunAsync(run, cancellationToken)))
            {
                LogAlreadyProcessed(logger, job.CallSid);
                return new JobResult(JobOutcome.AlreadyProcessed);
            }
            return new JobResult(JobOutcome.Processed);
        }
        catch (PermanentPipelineException ex)
        {
            LogFailed(logger, job.CallSid, "permanent", ex.Message);
            if (run.Call is not null)
            {
                await progress.RecordFailureAsync(job.CallSid, ex.Message, final: true, run.StepTimings, CancellationToken.None);
            }
            return new JobResult(JobOutcome.Permanent, ex.Message);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            var reason = ex is TransientPipelineException ? ex.Message : $"unexpected {ex.GetType().Name}: {ex.Message}";
            var withAttempt = $"delivery {delivery.Number}: {reason}";
            LogFailed(logger, job.CallSid, "transient", withAttempt);
            var timings = run.Call is null ? null : run.StepTimings;
            if (delivery.IsLast)
            {
                var gaveUp = $"gave up after {delivery.Number} deliveries: {reason}";
                await progress.RecordFailureAsync(job.CallSid, gaveUp, final: true, timings, CancellationToken.None);
                return new JobResult(JobOutcome.Transient, gaveUp, GaveUp: true);
            }
            if (run.Call is not null)
            {
                await progress.RecordFailureAsync(job.CallSid, withAttempt, final: false, timings, CancellationToken.None);
            }
            return new JobResult(JobOutcome.Transient, reason);
        }
    }

    [LoggerMessage(LogLevel.Information, "Job for {CallSid} acknowledged without work: the call is already processed")]
    private static partial void LogAlreadyProcessed(ILogger logger, string callSid);

    [LoggerMessage(LogLevel.Information, "Transcript of {CallSid} already saved by an earlier delivery; fetch, conversion and transcription skipped")]
    private static partial void LogTranscriptKept(ILogger logger, string callSid);

    [LoggerMessage(LogLevel.Warning, "Processing of {CallSid} failed ({Kind}): {Reason}")]
    private static partial void LogFailed(ILogger logger, string callSid, string kind, string reason);
}
