using CallPipeline.Twilio.Audio;
using CallPipeline.Worker.Audio;
using CallPipeline.Worker.Queue;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step c: WAV 16 kHz mono PCM s16le with ffmpeg, split at silences when over the upload limits. If ffmpeg is missing or
/// fails, the original is transcribed and the reason logged.
/// </summary>
public sealed partial class ConvertAudioStep(FfmpegRunner ffmpeg, IOptions<WorkerOptions> options, ILogger<ConvertAudioStep> logger)
{
    private readonly WorkerOptions _options = options.Value;

    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        if (run.RecordingPath is not { } recording)
        {
            return;
        }
        using var timer = run.Time(PipelineSteps.Convert);
        var call = run.Call;
        var directory = TemporaryDirectory.Of(_options);
        var wav = run.NewTemporaryFile(directory, ".wav");
        WavInfo? info;
        try
        {
            await ffmpeg.ConvertToWav16kMonoAsync(recording, wav, cancellationToken);
            info = WavInfo.TryRead(wav) ?? throw new AudioConversionException("ffmpeg wrote no readable WAV");
        }
        catch (AudioConversionException ex)
        {
            UseOriginal(run, recording, ex.Message);
            return;
        }

        call.AudioBytes = new FileInfo(wav).Length;
        call.AudioDurationSeconds = Math.Round(info.DurationSeconds, 3);
        LogConverted(logger, call.CallSid, call.AudioBytes.Value, call.AudioDurationSeconds.Value);

        if (info.DataLength == 0)
        {
            // Nothing to transcribe; sending it would only earn an "audio too short" error.
            LogNoAudio(logger, call.CallSid);
            return;
        }

        // OpenAI's 25 MiB cap covers the whole multipart request, so a file must leave room for the framing.
        var maxPartSeconds = Math.Min(_options.MaxUploadDuration.TotalSeconds, (_options.MaxUploadBytes - 44) / (double)info.ByteRate) * 0.98;
        if (info.DurationSeconds <= maxPartSeconds)
        {
            run.UploadPaths.Add(wav);
            return;
        }

        IReadOnlyList<(double Start, double End)> silences;
        try
        {
            silences = await ffmpeg.DetectSilencesAsync(wav, cancellationToken);
        }
        catch (AudioConversionException ex)
        {
            LogNoSilences(logger, call.CallSid, ex.Message);
            silences = [];
        }
        var cuts = SplitPlanner.Plan(info.DurationSeconds, maxPartSeconds, silences);
        var parts = Enumerable.Range(0, cuts.Count + 1).Select(_ => run.NewTemporaryFile(directory, ".wav")).ToList();
        await WavSplitter.SplitAsync(wav, info, cuts, parts, cancellationToken);
        run.UploadPaths.AddRange(parts);
        LogSplit(logger, call.CallSid, parts.Count, silences.Count);
    }

    private void UseOriginal(PipelineRun run, string recording, string reason)
    {
        var call = run.Call;
        run.ConversionProblem = reason;
        call.AudioBytes = new FileInfo(recording).Length;
        call.AudioDurationSeconds = WavInfo.TryRead(recording) is { DurationSeconds: > 0 } original ? Math.Round(original.DurationSeconds, 3) : null;
        LogOriginal(logger, call.CallSid, reason);
        if (call.AudioBytes > _options.MaxUploadBytes)
        {
            throw new PermanentPipelineException($"the recording ({call.AudioBytes} bytes) is over the upload limit and could not be converted to split it: {reason}");
        }
        run.UploadPaths.Add(recording);
    }

    [LoggerMessage(LogLevel.Information, "Audio converted to WAV 16 kHz mono for {CallSid}: {Bytes} bytes, {DurationSeconds} s")]
    private static partial void LogConverted(ILogger logger, string callSid, long bytes, double durationSeconds);

    [LoggerMessage(LogLevel.Warning, "Recording of {CallSid} holds no audio samples; nothing is transcribed")]
    private static partial void LogNoAudio(ILogger logger, string callSid);

    [LoggerMessage(LogLevel.Warning, "Audio not converted for {CallSid}, the original recording is transcribed: {Reason}")]
    private static partial void LogOriginal(ILogger logger, string callSid, string reason);

    [LoggerMessage(LogLevel.Warning, "No silences found for {CallSid} ({Reason}); the audio is cut at the part limit")]
    private static partial void LogNoSilences(ILogger logger, string callSid, string reason);

    [LoggerMessage(LogLevel.Information, "Audio split for {CallSid} into {Parts} parts ({Silences} silences found)")]
    private static partial void LogSplit(ILogger logger, string callSid, int parts, int silences);
}
