using CallPipeline.Worker.Queue;
using CallPipeline.Worker.Recordings;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Pipeline;

/// <summary>Step b: Twilio's recording media, else the gateway's local recording of the media stream.</summary>
public sealed partial class FetchRecordingStep(TwilioRecordingDownloader downloader, IOptions<WorkerOptions> options, ILogger<FetchRecordingStep> logger)
{
    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Fetch);
        var call = run.Call;
        RecordingDownload? download = null;
        if (!string.IsNullOrWhiteSpace(call.RecordingUrl))
        {
            var directory = TemporaryDirectory.Of(options.Value);
            string? lastTarget = null;
            download = await downloader.DownloadAsync(
                call.CallSid,
                call.RecordingUrl,
                extension => lastTarget = run.NewTemporaryFile(directory, extension),
                cancellationToken);
            if (download.Outcome == RecordingDownloadOutcome.Downloaded)
            {
                run.RecordingPath = lastTarget;
                LogFetched(logger, call.CallSid, download.Bytes, download.Extension ?? "", download.Detail);
                return;
            }
        }

        if (!string.IsNullOrWhiteSpace(call.LocalRecordingPath) && File.Exists(call.LocalRecordingPath))
        {
            run.RecordingPath = call.LocalRecordingPath;
            LogLocal(logger, call.CallSid, new FileInfo(call.LocalRecordingPath).Length, download?.Detail ?? "the call log has no RecordingUrl");
            return;
        }

        switch (download?.Outcome)
        {
            case null:
                LogNoRecording(logger, call.CallSid);
                return;
            case RecordingDownloadOutcome.Unavailable:
                throw new TransientPipelineException($"recording not available: {download.Detail}");
            default:
                throw new PermanentPipelineException($"recording refused: {download.Detail}");
        }
    }

    [LoggerMessage(LogLevel.Information, "Recording fetched for {CallSid}: {Bytes} bytes as {Extension} ({Detail})")]
    private static partial void LogFetched(ILogger logger, string callSid, long bytes, string extension, string detail);

    [LoggerMessage(LogLevel.Information, "Local recording used for {CallSid}: {Bytes} bytes, because {Reason}")]
    private static partial void LogLocal(ILogger logger, string callSid, long bytes, string reason);

    [LoggerMessage(LogLevel.Warning, "No recording for {CallSid}: no RecordingUrl and no local recording; the realtime transcript is used")]
    private static partial void LogNoRecording(ILogger logger, string callSid);
}
