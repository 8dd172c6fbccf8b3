extern alias worker;

using System.Buffers.Binary;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.Extensions.Options;
using CallPipeline.Twilio.Audio;
using worker::CallPipeline.Worker.Audio;

namespace CallPipeline.Tests.Worker;

/// <summary>The real ffmpeg through CliWrap: the conversion's output format, its failures, and silence detection for splitting.</summary>
public sealed class FfmpegTests
{
    [Fact]
    public async Task Conversion_writes_riff_wave_pcm_16_khz_mono_16_bit_whatever_the_input()
    {
        foreach (var (input, extension) in new[] { (await AudioSamples.ToneWavAsync(1, channels: 2), ".wav"), (await AudioSamples.ToneMp3Async(1), ".mp3") })
        {
            var source = await AudioSamples.WriteAsync(input, extension);
            var output = Path.ChangeExtension(source, ".out.wav");

            await Runner().ConvertToWav16kMonoAsync(source, output, CancellationToken.None);

            var header = (await File.ReadAllBytesAsync(output)).AsSpan(0, 44).ToArray();
            Assert.Equal("RIFF"u8.ToArray(), header[..4]);
            Assert.Equal("WAVE"u8.ToArray(), header[8..12]);
            var info = WavInfo.TryRead(output)!;
            Assert.Equal(1, info.AudioFormat);
            Assert.Equal(1, info.Channels);
            Assert.Equal(16000, info.SampleRate);
            Assert.Equal(16, info.BitsPerSample);
            Assert.Equal(32000, info.ByteRate);
            Assert.Equal(1.0, info.DurationSeconds, 1);
            Assert.Equal(16000, BinaryPrimitives.ReadInt32LittleEndian(header.AsSpan(24)));
            File.Delete(source);
            File.Delete(output);
        }
    }

    [Fact]
    public void The_arguments_are_a_list_with_no_stdin_only_the_file_protocol_and_the_target_format()
    {
        var arguments = FfmpegRunner.ConversionArguments("/tmp/in.mp3", "/tmp/out.wav");

        Assert.Equal("-nostdin", arguments[0]);
        Assert.Contains("-hide_banner", arguments);
        Assert.Equal("file", arguments[arguments.ToList().IndexOf("-protocol_whitelist") + 1]);
        Assert.Equal("1", arguments[arguments.ToList().IndexOf("-ac") + 1]);
        Assert.Equal("16000", arguments[arguments.ToList().IndexOf("-ar") + 1]);
        Assert.Equal("pcm_s16le", arguments[arguments.ToList().IndexOf("-c:a") + 1]);
        Assert.Equal("wav", arguments[arguments.ToList().IndexOf("-f") + 1]);
        Assert.Equal("/tmp/in.mp3", arguments[arguments.ToList().IndexOf("-i") + 1]);
        Assert.Equal("/tmp/out.wav", arguments[^1]);
        Assert.Equal("./-i.wav", FfmpegRunner.ConversionArguments("-i.wav", "out.wav")[arguments.ToList().IndexOf("-i") + 1]);
    }

    [Fact]
    public async Task Corrupt_input_fails_with_ffmpegs_reason()
    {
        var source = await AudioSamples.WriteAsync("not audio"u8.ToArray(), ".wav");

        var error = await Assert.ThrowsAsync<AudioConversionException>(() => Runner().ConvertToWav16kMonoAsync(source, source + ".out.wav", CancellationToken.None));

        Assert.StartsWith("ffmpeg exited with", error.Message);
        File.Delete(source);
    }

    [Fact]
    public async Task A_missing_ffmpeg_fails_with_a_reason_instead_of_crashing()
    {
        var source = await AudioSamples.WriteAsync(await AudioSamples.ToneWavAsync(0.2), ".wav");

        var error = await Assert.ThrowsAsync<AudioConversionException>(
            () => Runner(new AudioOptions { FfmpegPath = "/nonexistent/ffmpeg" }).ConvertToWav16kMonoAsync(source, source + ".out.wav", CancellationToken.None));

        Assert.Contains("could not be started", error.Message);
        File.Delete(source);
    }

    [Fact]
    public async Task A_url_input_is_refused_by_the_protocol_whitelist()
    {
        var error = await Assert.ThrowsAsync<AudioConversionException>(
            () => Runner().ConvertToWav16kMonoAsync("http://127.0.0.1:9/x.mp3", Path.Combine(Path.GetTempPath(), "never.wav"), CancellationToken.None));

        Assert.Contains("ffmpeg exited", error.Message);
    }

    [Fact]
    public async Task Silences_are_found_and_the_cuts_fall_inside_them()
    {
        var source = await AudioSamples.WriteAsync(await AudioSamples.TonesWithSilencesAsync(tone: 2, silence: 1), ".wav");

        var silences = await Runner().DetectSilencesAsync(source, CancellationToken.None);
        var cuts = SplitPlanner.Plan(8, 3.5, silences);

        Assert.Equal(2, silences.Count);
        Assert.Equal(2.0, silences[0].Start, 1);
        Assert.Equal(3.0, silences[0].End, 1);
        Assert.Equal(2, cuts.Count);
        Assert.InRange(cuts[0], 2.0, 3.0);
        Assert.InRange(cuts[1], 5.0, 6.0);
        File.Delete(source);
    }

    [Fact]
    public async Task The_one_pass_run_writes_the_channel_files_and_finds_the_silences_the_step_by_step_runs_do()
    {
        var source = await AudioSamples.WriteAsync(AudioSamples.TwoChannelWav(8, caller: [(1, 3), (5, 6)], line: [(3.5, 4.5)]), ".wav");
        using var runner = Runner();
        var stereo = Path.ChangeExtension(source, ".16k.wav");
        string[] stepByStep = [Path.ChangeExtension(source, ".a1.wav"), Path.ChangeExtension(source, ".a2.wav")];
        string[] onePass = [Path.ChangeExtension(source, ".b1.wav"), Path.ChangeExtension(source, ".b2.wav")];
        await runner.ConvertToWav16kAsync(source, stereo, CancellationToken.None);
        await runner.SplitChannelsAsync(stereo, stepByStep[0], stepByStep[1], CancellationToken.None);
        var callerSilences = await runner.DetectSilencesAsync(stepByStep[0], CancellationToken.None);
        var lineSilences = await runner.DetectSilencesAsync(stepByStep[1], CancellationToken.None);

        var (first, second) = await runner.SplitStereoToWav16kAsync(source, onePass[0], onePass[1], CancellationToken.None);

        Assert.Equal(await File.ReadAllBytesAsync(stepByStep[0]), await File.ReadAllBytesAsync(onePass[0]));
        Assert.Equal(await File.ReadAllBytesAsync(stepByStep[1]), await File.ReadAllBytesAsync(onePass[1]));
        Assert.Equal(callerSilences, first);
        Assert.Equal(lineSilences, second);
        Assert.Equal([(0.0, 1.0), (3.0, 5.0), (6.0, 8.0)], first.Select(s => (Math.Round(s.Start, 1), Math.Round(Math.Min(s.End, 8), 1))));
        Assert.Equal([(0.0, 3.5), (4.5, 8.0)], second.Select(s => (Math.Round(s.Start, 1), Math.Round(Math.Min(s.End, 8), 1))));
        foreach (var file in (string[])[source, stereo, .. stepByStep, .. onePass])
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Each_split_leaves_the_next_ffmpeg_waiting_for_its_recording_and_disposing_the_runner_kills_it()
    {
        var source = await AudioSamples.WriteAsync(AudioSamples.TwoChannelWav(4, caller: [(1, 2)], line: [(2.5, 3)]), ".wav");
        var directory = Directory.CreateTempSubdirectory("callpipeline-split-").FullName;
        string Output(string name) => Path.Combine(directory, name);
        int waitingAfterFirst;
        using (var runner = Runner())
        {
            var first = await runner.SplitStereoToWav16kAsync(source, Output("a1.wav"), Output("a2.wav"), CancellationToken.None);
            waitingAfterFirst = Assert.Single(await OneFfmpegWaitingAsync(directory));

            var second = await runner.SplitStereoToWav16kAsync(source, Output("b1.wav"), Output("b2.wav"), CancellationToken.None);

            // The waiting ffmpeg did the second split and is gone; a new one waits in its place.
            Assert.NotEqual(waitingAfterFirst, Assert.Single(await OneFfmpegWaitingAsync(directory)));
            Assert.DoesNotContain(waitingAfterFirst, FfmpegProcessesWritingTo(directory));
            Assert.Equal(first.First, second.First);
            Assert.Equal(first.Second, second.Second);
            Assert.Equal(await File.ReadAllBytesAsync(Output("a1.wav")), await File.ReadAllBytesAsync(Output("b1.wav")));
            Assert.Equal(await File.ReadAllBytesAsync(Output("a2.wav")), await File.ReadAllBytesAsync(Output("b2.wav")));
        }

        Assert.Empty(FfmpegProcessesWritingTo(directory));
        Assert.Equal(["a1.wav", "a2.wav", "b1.wav", "b2.wav"], Directory.GetFiles(directory).Select(Path.GetFileName).Order());
        Directory.Delete(directory, recursive: true);
        File.Delete(source);
    }

    [Fact]
    public void Without_silences_long_audio_is_cut_at_the_part_limit()
    {
        Assert.Equal([10.0, 20.0], SplitPlanner.Plan(25, 10, []));
        Assert.Empty(SplitPlanner.Plan(9, 10, []));
    }

    private static FfmpegRunner Runner(AudioOptions? options = null) => new(Options.Create(options ?? new AudioOptions()));

    /// <summary>The next split is started in the background once a split ends.</summary>
    private static Task<List<int>> OneFfmpegWaitingAsync(string directory) =>
        Eventually.ReturnsAsync(() => Task.FromResult(FfmpegProcessesWritingTo(directory)), pids => pids.Count == 1, "one ffmpeg waiting", TimeSpan.FromSeconds(10));

    /// <summary>Process ids of the ffmpeg runs whose command line names a file in <paramref name="directory"/>.</summary>
    private static List<int> FfmpegProcessesWritingTo(string directory) =>
        Directory.EnumerateDirectories("/proc")
            .Select(path => (Pid: int.TryParse(Path.GetFileName(path), out var pid) ? pid : 0, CommandLine: ReadCommandLine(path)))
            .Where(process => process.Pid > 0 && process.CommandLine.Contains("ffmpeg", StringComparison.Ordinal)
                && process.CommandLine.Contains(directory + "/", StringComparison.Ordinal))
            .Select(process => process.Pid)
            .ToList();

    private static string ReadCommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (IOException)
        {
            return "";
        }
        catch (UnauthorizedAccessException)
        {
            return "";
        }
    }
}
