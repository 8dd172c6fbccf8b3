using CallPipeline.Worker.Ai;
using CallPipeline.Worker.Transcription;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step e: the summary from the final transcript (the recording's, labelled by speaker when it has two channels, else the
/// realtime one); no speech gets a fixed summary and no model call.
/// </summary>
public sealed partial class SummariseStep(CallSummarizer summarizer, ILogger<SummariseStep> logger)
{
    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Summarise);
        var call = run.Call;
        if (string.IsNullOrWhiteSpace(call.FinalTranscript))
        {
            call.Summary = CallSummarizer.NoSpeechSummary(run.Business, call);
            LogNoSpeech(logger, call.CallSid);
            return;
        }
        string summary;
        try
        {
            // With two channels the model reads who said what from the labels, rather than guessing it.
            var transcript = SpeakerTranscript.HasRoles(call) ? call.SpeakerTranscript! : call.FinalTranscript;
            summary = await summarizer.SummarizeAsync(run.Business, call, transcript, cancellationToken);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = $"summary failed: {AiEndpointErrors.Describe(ex)}";
            throw AiEndpointErrors.IsPermanent(ex) ? new PermanentPipelineException(reason, ex) : new TransientPipelineException(reason, ex);
        }
        if (summary.Length == 0)
        {
            throw new TransientPipelineException("summary failed: the chat model answered with no text");
        }
        call.Summary = summary;
        LogSummarised(logger, call.CallSid, summary.Length, run.Business.Id);
    }

    [LoggerMessage(LogLevel.Information, "Summary written for {CallSid}: {Length} chars with the context of business {BusinessId}")]
    private static partial void LogSummarised(ILogger logger, string callSid, int length, int businessId);

    [LoggerMessage(LogLevel.Information, "No speech in {CallSid}: fixed summary, no model call")]
    private static partial void LogNoSpeech(ILogger logger, string callSid);
}
