using CallPipeline.Data.Entities;
using CallPipeline.Worker.Ai;
using CallPipeline.Worker.Queue;
using CallPipeline.Worker.Transcription;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step d: the recording's transcript (gpt-4o-transcribe, then whisper-1), parts in order and joined. A transcript shorter
/// than Worker:MinTranscriptChars falls back to the realtime transcript; the source is recorded as recording, realtime or none.
/// </summary>
public sealed partial class TranscribeStep(
    OpenAiTranscriber transcriber,
    IOptions<OpenAiOptions> openAiOptions,
    IOptions<WorkerOptions> workerOptions,
    ILogger<TranscribeStep> logger)
{
    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Transcribe);
        var call = run.Call;
        var transcript = run.UploadPaths.Count == 0 ? "" : await TranscribeRecordingAsync(run, cancellationToken);

        var minimum = workerOptions.Value.MinTranscriptChars;
        if (transcript.Length >= minimum && transcript.Length > 0)
        {
            call.FinalTranscript = transcript;
            call.TranscriptSource = TranscriptSource.Recording;
            return;
        }
        var realtime = call.RealtimeTranscript?.Trim() ?? "";
        if (realtime.Length >= minimum && realtime.Length > 0)
        {
            call.FinalTranscript = realtime;
            call.TranscriptSource = TranscriptSource.Realtime;
        }
        else
        {
            call.FinalTranscript = null;
            call.TranscriptSource = TranscriptSource.None;
        }
        LogFallback(logger, call.CallSid, transcript.Length, call.TranscriptSource.Value);
    }

    private async Task<string> TranscribeRecordingAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var options = openAiOptions.Value;
        var prompt = TranscriptionPrompt.For(run.Business);
        var language = string.IsNullOrWhiteSpace(run.Business.Language) ? "he" : run.Business.Language;
        var failures = new List<string>();
        var anyTransient = false;
        foreach (var model in new[] { options.TranscriptionModel, options.FallbackTranscriptionModel }.Distinct())
        {
            try
            {
                var texts = new List<string>();
                for (var part = 0; part < run.UploadPaths.Count; part++)
                {
                    var text = await transcriber.TranscribeAsync(
                        run.UploadPaths[part], FileName(run, part), model, language, prompt, cancellationToken);
                    texts.Add(text.Trim());
                }
                var transcript = string.Join(" ", texts.Where(t => t.Length > 0));
                LogObtained(logger, run.Call.CallSid, transcript.Length, model);
                return transcript;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                anyTransient |= !AiEndpointErrors.IsPermanent(ex);
                failures.Add($"{model}: {AiEndpointErrors.Describe(ex)}");
                LogModelFailed(logger, run.Call.CallSid, model, AiEndpointErrors.Describe(ex));
            }
        }

        var reason = "transcription failed (" + string.Join("; ", failures) + ")";
        if (run.ConversionProblem is { } conversion)
        {
            reason = $"corrupt or unreadable audio: ffmpeg failed ({conversion}) and {reason}";
        }
        throw anyTransient ? new TransientPipelineException(reason) : new PermanentPipelineException(reason);
    }

    /// <summary>The upload's name carries the RecordingSid: the OpenAI double answers by it. Parts are numbered from 1.</summary>
    private static string FileName(PipelineRun run, int part)
    {
        var extension = run.ConversionProblem is null ? ".wav" : Path.GetExtension(run.UploadPaths[part]) is { Length: > 0 } original ? original : ".wav";
        return run.UploadPaths.Count == 1 ? $"{run.AudioName}{extension}" : $"{run.AudioName}.part{part + 1}{extension}";
    }

    [LoggerMessage(LogLevel.Information, "Transcript obtained for {CallSid}: {Length} chars ({Model})")]
    private static partial void LogObtained(ILogger logger, string callSid, int length, string model);

    [LoggerMessage(LogLevel.Warning, "Transcription with {Model} failed for {CallSid}: {Reason}")]
    private static partial void LogModelFailed(ILogger logger, string callSid, string model, string reason);

    [LoggerMessage(LogLevel.Information, "Recording transcript of {CallSid} too short ({Length} chars); transcript source {Source}")]
    private static partial void LogFallback(ILogger logger, string callSid, int length, TranscriptSource source);
}
