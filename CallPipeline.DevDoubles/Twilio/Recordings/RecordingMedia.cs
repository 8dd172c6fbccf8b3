using System.Collections.Concurrent;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>
/// The files a recording is served as: WAV mixed to one channel by default, both channels for RequestedChannels=2,
/// and MP3 (32 kbps per channel, as Twilio's) made with ffmpeg on first request and kept.
/// </summary>
public sealed partial class RecordingMedia(IOptions<SimulatorOptions> options, ILogger<RecordingMedia> logger)
{
    private readonly ConcurrentDictionary<string, SemaphoreSlim> _encoding = new(StringComparer.Ordinal);

    public static string WavPath(CallRecording recording, int channels) => channels == 2 ? recording.FilePath : recording.MonoFilePath;

    public async Task<string> Mp3PathAsync(CallRecording recording, int channels, CancellationToken cancellationToken)
    {
        var wav = WavPath(recording, channels);
        var mp3 = Path.ChangeExtension(wav, ".mp3");
        var gate = _encoding.GetOrAdd(mp3, _ => new SemaphoreSlim(1, 1));
        await gate.WaitAsync(cancellationToken);
        try
        {
            if (!File.Exists(mp3))
            {
                var partial = mp3 + ".part";
                var result = await Cli.Wrap(options.Value.FfmpegProgram)
                    .WithArguments(["-hide_banner", "-loglevel", "error", "-y", "-i", wav, "-codec:a", "libmp3lame", "-b:a", $"{32 * channels}k", "-f", "mp3", partial])
                    .WithValidation(CommandResultValidation.None)
                    .ExecuteBufferedAsync(cancellationToken);
                if (!result.IsSuccess)
                {
                    LogMp3Failed(logger, recording.Sid, result.ExitCode);
                    throw new InvalidOperationException($"ffmpeg could not encode {recording.Sid} as MP3.");
                }
                File.Move(partial, mp3, overwrite: true);
            }
            return mp3;
        }
        finally
        {
            gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Twilio double: ffmpeg exited with {ExitCode} encoding {RecordingSid} as MP3")]
    private static partial void LogMp3Failed(ILogger logger, string recordingSid, int exitCode);
}
