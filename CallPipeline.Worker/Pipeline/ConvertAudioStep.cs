using CallPipeline.Data.Entities;
using CallPipeline.Twilio.Audio;
using CallPipeline.Worker.Audio;
using CallPipeline.Worker.Recordings;
using CallPipeline.Worker.Transcription;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Pipeline;

/// <summary>
/// Step c: WAV 16 kHz PCM s16le with ffmpeg. A two-channel recording is split into its channels (1 the caller, 2 the
/// line) and each channel's speech, found with silencedetect, is cut into turns; a silent channel sends nothing. A
/// one-channel recording is sent whole, split at silences when over the upload limits. If ffmpeg is missing or fails,
/// the original is transcribed and the reason logged.
/// </summary>
public sealed partial class ConvertAudioStep(
    FfmpegRunner ffmpeg,
    IOptions<AudioOptions> audioOptions,
    IOptions<TranscriptionOptions> transcriptionOptions,
    IOptions<DownloadOptions> downloadOptions,
    ILogger<ConvertAudioStep> logger)
{
    /// <summary>
    /// Channel 1 of a dual-channel Twilio recording is the call's own leg (the audio Twilio receives: the customer,
    /// who dialled in on an inbound call and was dialled on an outbound-api call), channel 2 the audio Twilio plays to
    /// it (here the gateway's stream). See CallPipeline.Worker/README.md, "Who is on which channel".
    /// </summary>
    private static readonly (int Channel, SpeakerRole Role)[] Channels = [(1, SpeakerRole.Caller), (2, SpeakerRole.Line)];

    private readonly AudioOptions _audio = audioOptions.Value;
    private readonly TranscriptionOptions _uploads = transcriptionOptions.Value;

    public async Task RunAsync(PipelineRun run, CancellationToken cancellationToken)
    {
        if (run.RecordingPath is not { } recording)
        {
            return;
        }
        using var timer = run.Time(PipelineSteps.Convert);
        var call = run.Call;
        var directory = downloadOptions.Value.EffectiveTempDirectory;
        try
        {
            if (await TrySplitStereoWavAsync(run, recording, directory, cancellationToken))
            {
                return;
            }
            var wav = run.NewTemporaryFile(directory, ".wav");
            await ffmpeg.ConvertToWav16kAsync(recording, wav, cancellationToken);
            var info = ReadConverted(wav);
            if (info.Channels == 2 && info.DataLength > 0)
            {
                var channelPaths = new[] { run.NewTemporaryFile(directory, ".wav"), run.NewTemporaryFile(directory, ".wav") };
                await ffmpeg.SplitChannelsAsync(wav, channelPaths[0], channelPaths[1], cancellationToken);
                var silences = new IReadOnlyList<(double Start, double End)>[2];
                for (var i = 0; i < 2; i++)
                {
                    silences[i] = await SilencesAsync(call.CallSid, channelPaths[i], cancellationToken);
                }
                PlanTurns(run, channelPaths, silences);
                return;
            }
            if (info.Channels != 1 && info.DataLength > 0)
            {
                wav = run.NewTemporaryFile(directory, ".wav");
                await ffmpeg.ConvertToWav16kMonoAsync(recording, wav, cancellationToken);
                info = ReadConverted(wav);
            }
            await PlanWholeAsync(run, wav, info, cancellationToken);
        }
        catch (AudioConversionException ex)
        {
            UseOriginal(run, recording, ex.Message);
        }
    }

    /// <summary>
    /// A two-channel WAV (Twilio's dual-channel recording, the gateway's own) goes through one ffmpeg run that converts,
    /// splits and finds the silences. Anything else, or a failed run, takes the general path: convert, look, then split.
    /// </summary>
    private async Task<bool> TrySplitStereoWavAsync(PipelineRun run, string recording, string directory, CancellationToken cancellationToken)
    {
        if (WavInfo.TryRead(recording) is not { Channels: 2, DataLength: > 0 })
        {
            return false;
        }
        var channelPaths = new[] { run.NewTemporaryFile(directory, ".wav"), run.NewTemporaryFile(directory, ".wav") };
        try
        {
            var (first, second) = await ffmpeg.SplitStereoToWav16kAsync(recording, channelPaths[0], channelPaths[1], cancellationToken);
            PlanTurns(run, channelPaths, [first, second]);
            return true;
        }
        catch (AudioConversionException ex)
        {
            LogOnePassFailed(logger, run.Call.CallSid, ex.Message);
            return false;
        }
    }

    /// <summary>One-channel audio: sent whole, or in parts cut in silences when over the upload limits.</summary>
    private async Task PlanWholeAsync(PipelineRun run, string wav, WavInfo info, CancellationToken cancellationToken)
    {
        var call = run.Call;
        Measured(call, new FileInfo(wav).Length, info.DurationSeconds);
        if (info.DataLength == 0)
        {
            // Nothing to transcribe; sending it would only earn an "audio too short" error.
            LogNoAudio(logger, call.CallSid);
            return;
        }

        var maxPartSeconds = MaxPartSeconds(info);
        if (info.DurationSeconds <= maxPartSeconds)
        {
            run.Clips.Add(new TranscriptionClip(SpeakerRole.Unknown, 0, info.DurationSeconds, [new ClipUpload(wav, UploadNames.Whole(run.AudioName))]));
            return;
        }

        var silences = await SilencesAsync(call.CallSid, wav, cancellationToken);
        var cuts = SplitPlanner.Plan(info.DurationSeconds, maxPartSeconds, silences);
        var parts = WavSplitter.Split(info, cuts);
        var boundaries = cuts.Prepend(0).Append(info.DurationSeconds).ToList();
        for (var part = 0; part < parts.Count; part++)
        {
            run.Clips.Add(new TranscriptionClip(
                SpeakerRole.Unknown, boundaries[part], boundaries[part + 1], [new ClipUpload(wav, UploadNames.Part(run.AudioName, part + 1), parts[part])]));
        }
        LogSplit(logger, call.CallSid, parts.Count, silences.Count);
    }

    /// <summary>Two channels: each speaker's turns, cut from that speaker's channel; a turn over the upload limits is cut again in its pauses.</summary>
    private void PlanTurns(PipelineRun run, string[] channelPaths, IReadOnlyList<(double Start, double End)>[] silences)
    {
        var call = run.Call;
        var infos = channelPaths.Select(ReadConverted).ToArray();
        var duration = infos.Max(i => i.DurationSeconds);
        Measured(call, channelPaths.Sum(path => new FileInfo(path).Length), duration);

        var speech = new IReadOnlyList<(double Start, double End)>[2];
        for (var i = 0; i < 2; i++)
        {
            speech[i] = SpeechSpans.Between(silences[i], infos[i].DurationSeconds, _audio.MinSpeechDuration.TotalSeconds);
        }
        var turns = TurnPlanner.Plan(speech[0], speech[1], _audio.TurnPause.TotalSeconds);
        call.CallerSpeechSeconds = Math.Round(turns.Where(t => t.Role == SpeakerRole.Caller).Sum(t => t.Duration), 3);

        foreach (var (channel, role) in Channels)
        {
            var index = channel - 1;
            var own = turns.Where(t => t.Role == role).ToList();
            var ranges = new List<(double Start, double End)>();
            var clipRanges = new List<(PlannedTurn Turn, int First, int Count)>();
            for (var t = 0; t < own.Count; t++)
            {
                // Padding reaches into the silence around the turn, never into the same speaker's next or previous turn.
                var start = Math.Max(t == 0 ? 0 : own[t - 1].End, own[t].Start - _audio.TurnPadding.TotalSeconds);
                var end = Math.Min(t == own.Count - 1 ? infos[index].DurationSeconds : own[t + 1].Start, own[t].End + _audio.TurnPadding.TotalSeconds);
                var pieces = Pieces(start, end, MaxPartSeconds(infos[index]), silences[index]);
                clipRanges.Add((own[t], ranges.Count, pieces.Count));
                ranges.AddRange(pieces);
            }
            var slices = WavSplitter.Cut(infos[index], ranges);
            run.Clips.AddRange(clipRanges.Select(c => new TranscriptionClip(
                role,
                Math.Round(c.Turn.Start, 3),
                Math.Round(c.Turn.End, 3),
                Enumerable.Range(c.First, c.Count).Select(i => new ClipUpload(channelPaths[index], UploadNames.Turn(run.AudioName, channel, ranges[i].Start), slices[i])).ToList())));
        }
        run.Clips.Sort((a, b) => (a.Start, a.Role).CompareTo((b.Start, b.Role)));
        LogChannels(logger, call.CallSid,
            turns.Count(t => t.Role == SpeakerRole.Caller), call.CallerSpeechSeconds.Value,
            turns.Count(t => t.Role == SpeakerRole.Line), Math.Round(turns.Where(t => t.Role == SpeakerRole.Line).Sum(t => t.Duration), 3),
            run.Clips.Sum(c => c.Uploads.Count));
    }

    /// <summary>A turn's audio as one range, or cut in its pauses (hard at the limit if none) when longer than an upload may be.</summary>
    private static List<(double Start, double End)> Pieces(double start, double end, double maxPartSeconds, IReadOnlyList<(double Start, double End)> silences)
    {
        if (end - start <= maxPartSeconds)
        {
            return [(start, end)];
        }
        var inside = silences
            .Where(s => s.End > start && s.Start < end)
            .Select(s => (Math.Max(s.Start, start) - start, Math.Min(s.End, end) - start))
            .ToList();
        var cuts = SplitPlanner.Plan(end - start, maxPartSeconds, inside).Select(cut => start + cut).ToList();
        var boundaries = cuts.Prepend(start).Append(end).ToList();
        return boundaries.Zip(boundaries.Skip(1)).ToList();
    }

    /// <summary>No silences when silencedetect fails: a long file is then cut at the part limit, and a channel is all speech.</summary>
    private async Task<IReadOnlyList<(double Start, double End)>> SilencesAsync(string callSid, string wav, CancellationToken cancellationToken)
    {
        try
        {
            return await ffmpeg.DetectSilencesAsync(wav, cancellationToken);
        }
        catch (AudioConversionException ex)
        {
            LogNoSilences(logger, callSid, ex.Message);
            return [];
        }
    }

    /// <summary>OpenAI's 25 MiB cap covers the whole multipart request, so a file must leave room for the framing.</summary>
    private double MaxPartSeconds(WavInfo info) =>
        Math.Min(_uploads.MaxUploadDuration.TotalSeconds, (_uploads.MaxUploadBytes - WavInfo.CanonicalHeaderLength) / (double)info.ByteRate) * 0.98;

    private static WavInfo ReadConverted(string wav) => WavInfo.TryRead(wav) ?? throw new AudioConversionException("ffmpeg wrote no readable WAV");

    private void Measured(CallLog call, long bytes, double durationSeconds)
    {
        call.AudioBytes = bytes;
        call.AudioDurationSeconds = Math.Round(durationSeconds, 3);
        LogConverted(logger, call.CallSid, bytes, call.AudioDurationSeconds.Value);
    }

    private void UseOriginal(PipelineRun run, string recording, string reason)
    {
        var call = run.Call;
        run.ConversionProblem = reason;
        run.Clips.Clear();
        call.CallerSpeechSeconds = null;
        call.AudioBytes = new FileInfo(recording).Length;
        call.AudioDurationSeconds = WavInfo.TryRead(recording) is { DurationSeconds: > 0 } original ? Math.Round(original.DurationSeconds, 3) : null;
        LogOriginal(logger, call.CallSid, reason);
        if (call.AudioBytes > _uploads.MaxUploadBytes)
        {
            throw new PermanentPipelineException($"the recording ({call.AudioBytes} bytes) is over the upload limit and could not be converted to split it: {reason}");
        }
        var extension = Path.GetExtension(recording) is { Length: > 0 } own ? own : ".wav";
        run.Clips.Add(new TranscriptionClip(SpeakerRole.Unknown, 0, call.AudioDurationSeconds ?? 0, [new ClipUpload(recording, UploadNames.Whole(run.AudioName, extension))]));
    }

    [LoggerMessage(LogLevel.Information, "Audio converted to WAV 16 kHz mono for {CallSid}: {Bytes} bytes, {DurationSeconds} s")]
    private static partial void LogConverted(ILogger logger, string callSid, long bytes, double durationSeconds);

    [LoggerMessage(LogLevel.Information,
        "Channels of {CallSid} split into turns: caller {CallerTurns} turns ({CallerSeconds} s of speech), line {LineTurns} turns ({LineSeconds} s), {Uploads} uploads")]
    private static partial void LogChannels(ILogger logger, string callSid, int callerTurns, double callerSeconds, int lineTurns, double lineSeconds, int uploads);

    [LoggerMessage(LogLevel.Warning, "Recording of {CallSid} holds no audio samples; nothing is transcribed")]
    private static partial void LogNoAudio(ILogger logger, string callSid);

    [LoggerMessage(LogLevel.Warning, "Audio not converted for {CallSid}, the original recording is transcribed: {Reason}")]
    private static partial void LogOriginal(ILogger logger, string callSid, string reason);

    [LoggerMessage(LogLevel.Warning, "No silences found for {CallSid} ({Reason}); the audio is cut at the part limit and taken as speech throughout")]
    private static partial void LogNoSilences(ILogger logger, string callSid, string reason);

    [LoggerMessage(LogLevel.Warning, "One-pass conversion of the two-channel recording of {CallSid} failed ({Reason}); converting step by step")]
    private static partial void LogOnePassFailed(ILogger logger, string callSid, string reason);

    [LoggerMessage(LogLevel.Information, "Audio split for {CallSid} into {Parts} parts ({Silences} silences found)")]
    private static partial void LogSplit(ILogger logger, string callSid, int parts, int silences);
}
