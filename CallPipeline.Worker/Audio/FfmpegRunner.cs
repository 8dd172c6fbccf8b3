using System.Collections.Concurrent;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CliWrap;
using CliWrap.Buffered;
using Microsoft.Extensions.Options;

namespace CallPipeline.Worker.Audio;

/// <summary>
/// ffmpeg through CliWrap: an argument list (no shell), only the file protocol (and stdin for the prestarted split, fed
/// the recording's file by the worker itself), and a timeout that kills the process tree.
/// </summary>
public sealed partial class FfmpegRunner(IOptions<AudioOptions> options) : IDisposable
{
    /// <summary>The input name that makes ffmpeg read from its stdin.</summary>
    public const string StandardInput = "pipe:0";

    private readonly AudioOptions _options = options.Value;
    private readonly ConcurrentBag<PrestartedSplit> _waitingSplits = [];
    private volatile bool _disposed;

    private static readonly string[] Quiet = ["-nostdin", "-hide_banner", "-loglevel", "error", "-protocol_whitelist", "file", "-y"];

    /// <summary>The conversion's arguments: WAV, 16 kHz, PCM s16le, mono unless <paramref name="downmixToMono"/> is false.</summary>
    public static IReadOnlyList<string> ConversionArguments(string inputPath, string outputPath, bool downmixToMono = true) =>
    [
        .. Quiet,
        "-i", SafePath(inputPath),
        "-vn", "-map", "0:a:0", .. downmixToMono ? new[] { "-ac", "1" } : [], "-ar", "16000", "-c:a", "pcm_s16le", "-f", "wav",
        SafePath(outputPath),
    ];

    public Task ConvertToWav16kMonoAsync(string inputPath, string outputPath, CancellationToken cancellationToken) =>
        ConvertAsync(ConversionArguments(inputPath, outputPath), cancellationToken);

    /// <summary>WAV 16 kHz PCM s16le with the recording's own channels, so a dual-channel recording stays two channels.</summary>
    public Task ConvertToWav16kAsync(string inputPath, string outputPath, CancellationToken cancellationToken) =>
        ConvertAsync(ConversionArguments(inputPath, outputPath, downmixToMono: false), cancellationToken);

    /// <summary>Each channel of a two-channel WAV into its own mono WAV, same rate and format.</summary>
    public Task SplitChannelsAsync(string stereoPath, string firstPath, string secondPath, CancellationToken cancellationToken) =>
        ConvertAsync(
            [
                .. Quiet,
                "-i", SafePath(stereoPath),
                "-filter_complex", "[0:a:0]channelsplit=channel_layout=stereo[first][second]",
                "-map", "[first]", "-c:a", "pcm_s16le", "-f", "wav", SafePath(firstPath),
                "-map", "[second]", "-c:a", "pcm_s16le", "-f", "wav", SafePath(secondPath),
            ],
            cancellationToken);

    /// <summary>
    /// The two-channel path in one ffmpeg run, with the flags of the three it replaces: the recording resampled to 16 kHz
    /// (<see cref="ConversionArguments"/>), each channel to its own mono PCM WAV (<see cref="SplitChannelsAsync"/>), and
    /// each channel's silences (<see cref="DetectSilencesAsync"/>; silencedetect's <c>mono</c> option reports them per
    /// channel). Every ffmpeg start costs more than converting a call's audio, so one run instead of four is most of the
    /// worker's ffmpeg time, and the run itself is started ahead (<see cref="PrestartedSplit"/>): each run leaves the next
    /// one waiting, so there are as many waiting as ran at once. Only for input known to be a two-channel WAV: ffmpeg
    /// would upmix a mono one to fit, and reads the input as WAV without probing it.
    /// </summary>
    /// <returns>The silences (start, end in seconds) of the first and of the second channel.</returns>
    public async Task<(IReadOnlyList<(double Start, double End)> First, IReadOnlyList<(double Start, double End)> Second)> SplitStereoToWav16kAsync(
        string stereoWavPath, string firstPath, string secondPath, CancellationToken cancellationToken)
    {
        using var split = TakePrestartedSplit(Path.GetDirectoryName(Path.GetFullPath(firstPath))!);
        try
        {
            var (exitCode, standardError) = await split.RunAsync(stereoWavPath, _options.FfmpegTimeout, cancellationToken);
            if (exitCode != 0)
            {
                throw new AudioConversionException($"ffmpeg exited with {exitCode}: {FirstLine(standardError)}");
            }
            File.Move(split.FirstPath, firstPath, overwrite: true);
            File.Move(split.SecondPath, secondPath, overwrite: true);
            return (Silences(standardError, channel: "0"), Silences(standardError, channel: "1"));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
        finally
        {
            // Off the job's path: starting a process blocks its caller for a fork and an exec.
            var directory = Path.GetDirectoryName(split.FirstPath)!;
            _ = Task.Run(() => PrestartNextSplit(directory), CancellationToken.None);
        }
    }

    /// <summary>
    /// The arguments of <see cref="SplitStereoToWav16kAsync"/>'s one run, with the silence settings of
    /// <paramref name="options"/>; <see cref="StandardInput"/> as the input reads a WAV from stdin.
    /// </summary>
    public static IReadOnlyList<string> StereoSplitArguments(string stereoInputPath, string firstPath, string secondPath, AudioOptions options) =>
    [
        "-nostdin", "-hide_banner", "-nostats", "-loglevel", "info", "-y",
        .. stereoInputPath == StandardInput
            ? new[] { "-protocol_whitelist", "file,pipe", "-f", "wav", "-i", StandardInput }
            : ["-protocol_whitelist", "file", "-i", SafePath(stereoInputPath)],
        "-filter_complex", $"[0:a:0]aresample=16000,{SilenceDetectFilter(options)}:mono=1,channelsplit=channel_layout=stereo[first][second]",
        "-map", "[first]", "-c:a", "pcm_s16le", "-f", "wav", SafePath(firstPath),
        "-map", "[second]", "-c:a", "pcm_s16le", "-f", "wav", SafePath(secondPath),
    ];

    /// <summary>Kills the waiting runs and deletes their files.</summary>
    public void Dispose()
    {
        _disposed = true;
        while (_waitingSplits.TryTake(out var split))
        {
            split.Dispose();
        }
    }

    /// <summary>A waiting run (one still waiting, for the same folder), or one started now.</summary>
    private PrestartedSplit TakePrestartedSplit(string directory)
    {
        while (_waitingSplits.TryTake(out var split))
        {
            if (split.IsWaiting && Path.GetDirectoryName(split.FirstPath) == directory)
            {
                return split;
            }
            split.Dispose();
        }
        return StartSplit(directory);
    }

    private void PrestartNextSplit(string directory)
    {
        if (_disposed)
        {
            return;
        }
        try
        {
            _waitingSplits.Add(StartSplit(directory));
            if (_disposed)
            {
                // Disposed while this one started: it must not outlive the runner.
                Dispose();
            }
        }
        catch (AudioConversionException)
        {
            // ffmpeg cannot be started: the next job starts its own and reports why.
        }
    }

    private PrestartedSplit StartSplit(string directory)
    {
        try
        {
            return PrestartedSplit.Start(_options.FfmpegPath, directory, _options);
        }
        catch (Win32Exception ex)
        {
            throw NotStarted(ex);
        }
    }

    private async Task ConvertAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        var result = await RunAsync(arguments, cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new AudioConversionException($"ffmpeg exited with {result.ExitCode}: {FirstLine(result.StandardError)}");
        }
    }

    /// <summary>
    /// Silences (start, end in seconds) found by ffmpeg's silencedetect filter. A silence still running when the audio
    /// ends has no silence_end line in older ffmpeg builds; it is reported as ending at infinity.
    /// </summary>
    public async Task<IReadOnlyList<(double Start, double End)>> DetectSilencesAsync(string inputPath, CancellationToken cancellationToken)
    {
        var result = await RunAsync(
            ["-nostdin", "-hide_banner", "-loglevel", "info", "-protocol_whitelist", "file", "-i", SafePath(inputPath), "-af", SilenceDetectFilter(_options), "-f", "null", "-"],
            cancellationToken);
        if (result.ExitCode != 0)
        {
            throw new AudioConversionException($"ffmpeg silencedetect exited with {result.ExitCode}: {FirstLine(result.StandardError)}");
        }
        return Silences(result.StandardError, channel: null);
    }

    private static string SilenceDetectFilter(AudioOptions options) =>
        string.Create(CultureInfo.InvariantCulture, $"silencedetect=noise={options.SilenceNoise}:d={options.SilenceMinDuration.TotalSeconds:0.###}");

    /// <summary>The silences silencedetect logged; with <paramref name="channel"/>, those of that channel only (its <c>mono</c> mode).</summary>
    private static List<(double Start, double End)> Silences(string log, string? channel)
    {
        var silences = new List<(double, double)>();
        double? start = null;
        foreach (Match match in SilenceLine().Matches(log))
        {
            if (match.Groups["channel"].Success ? match.Groups["channel"].Value != channel : channel is not null)
            {
                continue;
            }
            var value = double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture);
            if (match.Groups["kind"].Value == "start")
            {
                start = value;
            }
            else if (start is { } begun)
            {
                silences.Add((Math.Max(0, begun), value));
                start = null;
            }
        }
        if (start is { } open)
        {
            silences.Add((Math.Max(0, open), double.PositiveInfinity));
        }
        return silences;
    }

    private async Task<BufferedCommandResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.FfmpegTimeout);
        try
        {
            return await Cli.Wrap(_options.FfmpegPath)
                .WithArguments(arguments)
                .WithValidation(CommandResultValidation.None)
                .ExecuteBufferedAsync(Encoding.UTF8, Encoding.UTF8, timeout.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TimedOut();
        }
        catch (Win32Exception ex)
        {
            throw NotStarted(ex);
        }
    }

    private AudioConversionException TimedOut() =>
        new($"ffmpeg did not finish within {_options.FfmpegTimeout.TotalSeconds:0} s and was killed");

    private AudioConversionException NotStarted(Win32Exception ex) =>
        new($"ffmpeg could not be started ({_options.FfmpegPath}): {ex.Message}", ex);

    /// <summary>A relative path starting with '-' would be read as an option.</summary>
    private static string SafePath(string path) => Path.IsPathRooted(path) ? path : "./" + path;

    private static string FirstLine(string text)
    {
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "no error output";
        return line.Length > 300 ? line[..300] : line;
    }

    [GeneratedRegex(@"(channel: (?<channel>[0-9]+) \| )?silence_(?<kind>start|end): (?<value>-?[0-9.]+)")]
    private static partial Regex SilenceLine();
}
