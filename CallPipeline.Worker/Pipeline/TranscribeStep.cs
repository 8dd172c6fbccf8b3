using CallPipeline.Data.Entities;
using CallPipeline.Worker.Ai;
using CallPipeline.Worker.Transcription;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step d: the recording's transcript turn by turn (gpt-4o-transcribe, then whisper-1 for every turn when the first
/// model fails), each turn's uploads joined in order. The turns with words become the call's turns, the labelled
/// speaker transcript and, joined, the final transcript. A transcript shorter than Worker:MinTranscriptChars falls back
/// to the realtime transcript; the source is recorded as recording, realtime or none.
/// </summary>
public sealed partial class TranscribeStep(
    OpenAiTranscriber transcriber,
    IOptions<OpenAiOptions> openAiOptions,
    IOptions<TranscriptionOptions> transcriptionOptions,
    ILogger<TranscribeStep> logger)
{
    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Transcribe);
        var call = run.Call;
        var turns = run.Clips.Count == 0 ? [] : await TranscribeRecordingAsync(run, cancellationToken);
        var transcript = string.Join(" ", turns.Select(turn => turn.Text));

        var minimum = transcriptionOptions.Value.MinTranscriptChars;
        if (transcript.Length >= minimum && transcript.Length > 0)
        {
            call.FinalTranscript = transcript;
            call.TranscriptSource = TranscriptSource.Recording;
            call.TranscriptTurns = turns;
            call.SpeakerTranscript = SpeakerTranscript.Render(turns, run.Business.Language);
            return;
        }
        call.TranscriptTurns = null;
        call.SpeakerTranscript = null;
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

    /// <returns>The turns that have words, in time order.</returns>
    private async Task<List<TranscriptTurn>> TranscribeRecordingAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var options = openAiOptions.Value;
        var prompt = TranscriptionPrompt.For(run.Business);
        var language = string.IsNullOrWhiteSpace(run.Business.Language) ? "he" : run.Business.Language;
        var uploads = run.Clips.SelectMany(clip => clip.Uploads).ToList();
        var failures = new List<string>();
        var anyTransient = false;
        foreach (var model in new[] { options.TranscriptionModel, options.FallbackTranscriptionModel }.Distinct())
        {
            try
            {
                var texts = new string[uploads.Count];
                await Parallel.ForEachAsync(
                    Enumerable.Range(0, uploads.Count),
                    new ParallelOptions { MaxDegreeOfParallelism = transcriptionOptions.Value.TranscriptionConcurrency, CancellationToken = cancellationToken },
                    async (index, ct) => texts[index] = (await transcriber.TranscribeAsync(uploads[index], model, language, prompt, ct)).Trim());
                var turns = Turns(run.Clips, texts);
                LogObtained(logger, run.Call.CallSid, turns.Sum(turn => turn.Text.Length) + Math.Max(0, turns.Count - 1), model);
                return turns;
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

    /// <summary>Each clip's texts (its uploads in order) joined into one turn; clips without words are no turn.</summary>
    private static List<TranscriptTurn> Turns(IReadOnlyList<TranscriptionClip> clips, string[] texts)
    {
        var turns = new List<TranscriptTurn>();
        var next = 0;
        foreach (var clip in clips)
        {
            var text = string.Join(" ", texts.Skip(next).Take(clip.Uploads.Count).Where(t => t.Length > 0));
            next += clip.Uploads.Count;
            if (text.Length > 0)
            {
                turns.Add(new TranscriptTurn(clip.Role, clip.Start, clip.End, text));
            }
        }
        return turns;
    }

    [LoggerMessage(LogLevel.Information, "Transcript obtained for {CallSid}: {Length} chars ({Model})")]
    private static partial void LogObtained(ILogger logger, string callSid, int length, string model);

    [LoggerMessage(LogLevel.Warning, "Transcription with {Model} failed for {CallSid}: {Reason}")]
    private static partial void LogModelFailed(ILogger logger, string callSid, string model, string reason);

    [LoggerMessage(LogLevel.Information, "Recording transcript of {CallSid} too short ({Length} chars); transcript source {Source}")]
    private static partial void LogFallback(ILogger logger, string callSid, int length, TranscriptSource source);
}
