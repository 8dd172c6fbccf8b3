using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Worker.Ai;
using CallPipeline.Worker.Transcription;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step f: city, service, customer name and confidence. With speaker turns (two channels) they come from what the
/// caller said, read from the labelled transcript; a caller channel without words gives nothing, and the confidence
/// shrinks with the share of the caller's speech that was transcribed. Without turns: from the summary first and from
/// the transcript when the summary yields nothing.
/// </summary>
public sealed partial class ExtractStep(CallDetailsExtractor extractor, ILogger<ExtractStep> logger)
{
    /// <summary>Shorter texts carry no city or service worth a model call.</summary>
    private const int MinInputChars = 20;

    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Extract);
        var call = run.Call;
        var details = SpeakerTranscript.HasRoles(call)
            ? await FromCallerAsync(run, cancellationToken)
            : await FromTextAsync(run, cancellationToken);
        call.ExtractedCity = details.City;
        call.ExtractedService = details.Service;
        call.CustomerName = details.CustomerName;
        call.ExtractionConfidence = details.Confidence;
        // What the caller said stays out of the logs: lengths only.
        LogExtracted(logger, call.CallSid, details.Service?.Length ?? 0, details.City?.Length ?? 0, details.CustomerName?.Length ?? 0, details.Confidence);
    }

    private async Task<ExtractedDetails> FromCallerAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var call = run.Call;
        var coverage = CallerCoverage(call);
        if (coverage == 0)
        {
            LogNoCallerWords(logger, call.CallSid, call.CallerSpeechSeconds ?? 0);
            return ExtractedDetails.Nothing;
        }
        var details = await ExtractAsync(run, call.SpeakerTranscript!, SpeakerTranscript.Labels(run.Business.Language), cancellationToken);
        return details with { Confidence = Math.Round(details.Confidence * coverage, 3) };
    }

    private async Task<ExtractedDetails> FromTextAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        var call = run.Call;
        if (string.IsNullOrWhiteSpace(call.FinalTranscript))
        {
            return ExtractedDetails.Nothing;
        }
        var inputs = new[] { call.Summary, call.FinalTranscript }
            .Where(text => text is { Length: >= MinInputChars })
            .Distinct();
        foreach (var input in inputs)
        {
            var details = await ExtractAsync(run, input!, speakers: null, cancellationToken);
            if (!details.IsEmpty)
            {
                return details;
            }
        }
        return ExtractedDetails.Nothing;
    }

    /// <summary>
    /// The share (0..1) of the caller's speech that came back as words: 0 when the caller's channel was silent or
    /// nothing of it could be transcribed, lower when parts of it were unintelligible.
    /// </summary>
    public static double CallerCoverage(CallLog call)
    {
        var callerTurns = call.TranscriptTurns?.Where(turn => turn.Role == SpeakerRole.Caller).ToList() ?? [];
        if (callerTurns.Count == 0)
        {
            return 0;
        }
        var transcribed = callerTurns.Sum(turn => turn.End - turn.Start);
        return call.CallerSpeechSeconds is > 0 and var spoken ? Math.Clamp(transcribed / spoken, 0, 1) : 1;
    }

    private async Task<ExtractedDetails> ExtractAsync(PipelineRun run, string input, (string Caller, string Line)? speakers, CancellationToken cancellationToken)
    {
        try
        {
            return await extractor.ExtractAsync(run.Business, input, speakers, cancellationToken);
        }
        catch (JsonException ex)
        {
            throw new TransientPipelineException($"extraction failed: the model's answer is not the schema's JSON ({ex.Message})", ex);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            var reason = $"extraction failed: {AiEndpointErrors.Describe(ex)}";
            throw AiEndpointErrors.IsPermanent(ex) ? new PermanentPipelineException(reason, ex) : new TransientPipelineException(reason, ex);
        }
    }

    [LoggerMessage(LogLevel.Information, "Extracted for {CallSid}: service {ServiceLength} chars, city {CityLength} chars, customer name {CustomerNameLength} chars, confidence {Confidence}")]
    private static partial void LogExtracted(ILogger logger, string callSid, int serviceLength, int cityLength, int customerNameLength, double confidence);

    [LoggerMessage(LogLevel.Information, "No extraction for {CallSid}: the caller's channel has no words ({CallerSeconds} s of caller speech); confidence 0")]
    private static partial void LogNoCallerWords(ILogger logger, string callSid, double callerSeconds);
}
