using CallPipeline.Data.Entities;
using CallPipeline.Data.Messages;
using CallPipeline.Worker.Telemetry;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Runs one job through the steps. Every step is idempotent: a processed call is left alone, a saved transcript is not
/// fetched and transcribed again, and the final save happens once per call. Each step runs in a span of its own.
/// </summary>
public sealed partial class RecordingJobProcessor(
    LoadCallStep load,
    FetchRecordingStep fetch,
    ConvertAudioStep convert,
    TranscribeStep transcribe,
    SummariseStep summarise,
    ExtractStep extract,
    SaveResultStep save,
    CallProgress progress,
    WorkerMetrics metrics,
    ILogger<RecordingJobProcessor> logger)
{
    /// <param name="owner">Who runs the job (consumer and entry): the name the call's lease is taken under.</param>
    public async Task<JobResult> ProcessAsync(RecordingJob job, long delivery, string owner, CancellationToken cancellationToken)
    {
        using var run = new PipelineRun(job, delivery);
        var result = await RunAsync(run, owner, cancellationToken);
        metrics.JobFinished(result.Outcome, run.StepTimings);
        return result;
    }

    private async Task<JobResult> RunAsync(PipelineRun run, string owner, CancellationToken cancellationToken)
    {
        var (job, delivery) = (run.Job, run.Delivery);
        try
        {
            if (!await WorkerTraces.InStepAsync(PipelineSteps.Load, () => load.RunAsync(run, cancellationToken)))
            {
                return new JobResult(JobOutcome.Poison, $"no call log has CallSid {job.CallSid}");
            }
            if (run.Call.PipelineStatus == PipelineStatus.Processed)
            {
                LogAlreadyProcessed(logger, job.CallSid);
                return new JobResult(JobOutcome.AlreadyProcessed);
            }
            if (!await progress.TryClaimAsync(run, owner, cancellationToken))
            {
                return new JobResult(JobOutcome.Busy);
            }

            if (run.Call.TranscriptSource is null)
            {
                await WorkerTraces.InStepAsync(PipelineSteps.Fetch, () => fetch.RunAsync(run, cancellationToken));
                await WorkerTraces.InStepAsync(PipelineSteps.Convert, () => convert.RunAsync(run, cancellationToken));
                await WorkerTraces.InStepAsync(PipelineSteps.Transcribe, () => transcribe.RunAsync(run, cancellationToken));
                await progress.SaveTranscriptAsync(run, cancellationToken);
            }
            else
            {
                LogTranscriptKept(logger, job.CallSid);
            }
            await WorkerTraces.InStepAsync(PipelineSteps.Summarise, () => summarise.RunAsync(run, cancellationToken));
            await WorkerTraces.InStepAsync(PipelineSteps.Extract, () => extract.RunAsync(run, cancellationToken));
            // The call.completed delivery is created in this span, so its attempts continue the call's trace.
            if (!await WorkerTraces.InStepAsync(PipelineSteps.Save, () => save.RunAsync(run, cancellationToken)))
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
            var withAttempt = $"delivery {delivery}: {reason}";
            LogFailed(logger, job.CallSid, "transient", withAttempt);
            if (run.Call is not null)
            {
                await progress.RecordFailureAsync(job.CallSid, withAttempt, final: false, run.StepTimings, CancellationToken.None);
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
