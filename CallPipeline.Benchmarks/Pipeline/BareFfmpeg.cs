extern alias worker;

using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using CallPipeline.Benchmarks.Graph;
using CallPipeline.Benchmarks.Measurement;
using worker::CallPipeline.Worker.Audio;

namespace CallPipeline.Benchmarks.Pipeline;

/// <summary>
/// The floor the worker is compared with: the same recordings, downloaded as the worker downloads them, through ffmpeg
/// alone with the worker's own arguments, as many at a time as the worker runs jobs: its conversion
/// (<see cref="FfmpegRunner.ConversionArguments"/>: WAV 16 kHz PCM, channels kept), and the one run it makes of a
/// two-channel recording (<see cref="FfmpegRunner.StereoSplitArguments"/>: conversion, channel split, silences).
/// </summary>
public static class BareFfmpeg
{
    /// <summary>Downloads each recording (<c>{RecordingUrl}.wav?RequestedChannels=2</c>, Twilio's basic auth) into <paramref name="folder"/>.</summary>
    public static async Task<IReadOnlyList<string>> DownloadAsync(IEnumerable<string> recordingUrls, TwilioAccount account, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        using var http = new HttpClient();
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.ASCII.GetBytes($"{account.AccountSid}:{account.AuthToken}")));
        var files = new List<string>();
        foreach (var url in recordingUrls)
        {
            var file = Path.Combine(folder, $"{files.Count:D3}.wav");
            await using (var target = File.Create(file))
            {
                using var response = await http.GetAsync($"{url}.wav?RequestedChannels=2", HttpCompletionOption.ResponseHeadersRead, cancellationToken);
                response.EnsureSuccessStatusCode();
                await response.Content.CopyToAsync(target, cancellationToken);
            }
            files.Add(file);
        }
        return files;
    }

    /// <summary>
    /// Runs ffmpeg with <paramref name="arguments"/> on every file, <paramref name="concurrency"/> at a time, three times;
    /// the median wall time. A pass takes about 3 s, short enough for a burst of other work on the machine to move it.
    /// Each ffmpeg runs on <paramref name="cpu"/> when one is given (the worker's own, <see cref="Graph.OwnCpu"/>).
    /// </summary>
    public static async Task<TimeSpan> MedianOfThreeAsync(
        IReadOnlyList<string> files, int concurrency, int? cpu, Func<string, IReadOnlyList<string>> arguments, CancellationToken cancellationToken)
    {
        var seconds = new List<double>();
        for (var pass = 0; pass < 3; pass++)
        {
            seconds.Add((await RunAllAsync(files, concurrency, cpu, arguments, cancellationToken)).TotalSeconds);
        }
        return TimeSpan.FromSeconds(Percentile.Of(seconds, 0.5));
    }

    private static async Task<TimeSpan> RunAllAsync(
        IReadOnlyList<string> files, int concurrency, int? cpu, Func<string, IReadOnlyList<string>> arguments, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        await Parallel.ForEachAsync(files, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (file, ct) =>
        {
            var start = new ProcessStartInfo("ffmpeg") { RedirectStandardError = true, RedirectStandardOutput = true };
            foreach (var argument in arguments(file))
            {
                start.ArgumentList.Add(argument);
            }
            using var ffmpeg = Process.Start(start) ?? throw new InvalidOperationException("ffmpeg did not start.");
            if (cpu is { } only)
            {
                // Set while ffmpeg is still loading its libraries, before it starts threads of its own, which inherit it.
                CpuAffinity.Set(ffmpeg.Id, [only]);
            }
            var errors = ffmpeg.StandardError.ReadToEndAsync(ct);
            await ffmpeg.StandardOutput.ReadToEndAsync(ct);
            await ffmpeg.WaitForExitAsync(ct);
            if (ffmpeg.ExitCode != 0)
            {
                throw new InvalidOperationException($"ffmpeg exited with {ffmpeg.ExitCode} on {file}: {await errors}");
            }
        });
        return Stopwatch.GetElapsedTime(started);
    }
}
