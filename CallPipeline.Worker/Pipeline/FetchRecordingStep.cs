using CallPipeline.Data;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Worker.Recordings;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step b: Twilio's recording media, else the gateway's own recording of the media stream: the copy in Postgres, which
/// every replica reaches, or, when the gateway could not store it, its file if this machine sees it.
/// </summary>
public sealed partial class FetchRecordingStep(
    TwilioRecordingDownloader downloader, CallPipelineDbContext db, IOptions<DownloadOptions> options, ILogger<FetchRecordingStep> logger)
{
    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        using var timer = run.Time(PipelineSteps.Fetch);
        var call = run.Call;
        RecordingDownload? download = null;
        if (!string.IsNullOrWhiteSpace(call.RecordingUrl))
        {
            var directory = options.Value.EffectiveTempDirectory;
            string? lastTarget = null;
            download = await downloader.DownloadAsync(
                call.CallSid,
                call.RecordingUrl,
                extension => lastTarget = run.NewTemporaryFile(directory, extension),
                cancellationToken);
            if (download.Outcome == RecordingDownloadOutcome.Downloaded)
            {
                run.RecordingPath = lastTarget;
                run.RecordingFromTwilio = true;
                LogFetched(logger, call.CallSid, download.Bytes, download.Extension ?? "", download.Detail);
                return;
            }
        }

        var reason = download?.Detail ?? "the call log has no RecordingUrl";
        if (call.StoredRecordingBytes is > 0)
        {
            var target = run.NewTemporaryFile(options.Value.EffectiveTempDirectory, ".wav");
            await using (var file = new FileStream(target, FileMode.Create, FileAccess.Write, FileShare.None, 81920, useAsync: true))
            {
                await StoredRecording.CopyToAsync(db, call.Id, file, cancellationToken);
            }
            run.RecordingPath = target;
            LogStored(logger, call.CallSid, call.StoredRecordingBytes.Value, reason);
            return;
        }
        if (!string.IsNullOrWhiteSpace(call.LocalRecordingPath) && File.Exists(call.LocalRecordingPath))
        {
            run.RecordingPath = call.LocalRecordingPath;
            LogLocal(logger, call.CallSid, new FileInfo(call.LocalRecordingPath).Length, reason);
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

    [LoggerMessage(LogLevel.Information, "Stored recording used for {CallSid}: the gateway's {Bytes} bytes from Postgres, because {Reason}")]
    private static partial void LogStored(ILogger logger, string callSid, long bytes, string reason);

    [LoggerMessage(LogLevel.Information, "Local recording used for {CallSid}: {Bytes} bytes, because {Reason}")]
    private static partial void LogLocal(ILogger logger, string callSid, long bytes, string reason);

    [LoggerMessage(LogLevel.Warning, "No recording for {CallSid}: no RecordingUrl and no recording of the gateway's; the realtime transcript is used")]
    private static partial void LogNoRecording(ILogger logger, string callSid);
}
