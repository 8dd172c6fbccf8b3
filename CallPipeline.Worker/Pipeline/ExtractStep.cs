using System.Text.Json;
using CallPipeline.Worker.Ai;

namespace CallPipeline.Worker.Pipeline;

/// <summary>Step f: city, service, customer name and confidence, from the summary first and from the transcript when the summary yields nothing.</summary>
public sealed partial class ExtractStep(CallDetailsExtractor extractor, ILogger<ExtractStep> logger)
{
    /// <summary>Shorter texts carry no city or service worth a model call.</summary>
    private const int MinInputChars = 20;

    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Extract);
        var call = run.Call;
        var details = ExtractedDetails.Nothing;
        if (!string.IsNullOrWhiteSpace(call.FinalTranscript))
        {
            var inputs = new[] { call.Summary, call.FinalTranscript }
                .Where(text => text is { Length: >= MinInputChars })
                .Distinct()
                .ToList();
            foreach (var input in inputs)
            {
                details = await ExtractAsync(run, input!, cancellationToken);
                if (!details.IsEmpty)
                {
                    break;
                }
            }
        }
        call.ExtractedCity = details.City;
        call.ExtractedService = details.Service;
        call.CustomerName = details.CustomerName;
        call.ExtractionConfidence = details.Confidence;
        // What the caller said stays out of the logs: lengths only.
        LogExtracted(logger, call.CallSid, details.Service?.Length ?? 0, details.City?.Length ?? 0, details.CustomerName?.Length ?? 0, details.Confidence);
    }

    private async Task<ExtractedDetails> ExtractAsync(PipelineRun run, string input, CancellationToken cancellationToken)
    {
        try
        {
            return await extractor.ExtractAsync(run.Business, input, cancellationToken);
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
}
