extern alias benchmarks;

using System.Diagnostics;
using System.Globalization;
using benchmarks::CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>
/// The benchmarks give the server they measure a CPU of its own and the rest of the graph a lower priority: every thread
/// of a process is set, as Linux reports it.
/// </summary>
public sealed class ProcessThreadsTests
{
    [Fact]
    public async Task Every_thread_of_a_process_is_moved_to_the_CPUs_given_and_back()
    {
        var allowed = CpuAffinity.Allowed();
        Assert.NotEmpty(allowed);
        using var ffmpeg = await StartFfmpegAsync();
        try
        {
            CpuAffinity.Set(ffmpeg.Id, [allowed[^1]]);
            Assert.All(Threads(ffmpeg.Id), thread => Assert.Equal([allowed[^1]], CpusAllowed(thread)));

            CpuAffinity.Set(ffmpeg.Id, allowed);
            Assert.All(Threads(ffmpeg.Id), thread => Assert.Equal(allowed, CpusAllowed(thread)));
        }
        finally
        {
            ffmpeg.Kill();
        }
    }

    [Fact]
    public async Task Every_thread_of_a_process_gets_the_nice_value_and_only_root_gives_the_priority_back()
    {
        var own = NiceValue.OfThisProcess();
        using var ffmpeg = await StartFfmpegAsync();
        try
        {
            Assert.True(NiceValue.TrySet(ffmpeg.Id, own + 5));
            Assert.All(Threads(ffmpeg.Id), thread => Assert.Equal(own + 5, Nice(thread)));

            var restored = NiceValue.TrySet(ffmpeg.Id, own);
            Assert.Equal(Environment.UserName == "root", restored);
            Assert.All(Threads(ffmpeg.Id), thread => Assert.Equal(restored ? own : own + 5, Nice(thread)));
        }
        finally
        {
            ffmpeg.Kill();
        }
    }

    /// <summary>
    /// ffmpeg playing a tone in real time runs several threads, as the worker does. It is returned once it has started
    /// them all (the same threads for half a second): a thread started while a test sets its threads takes the setting
    /// of the thread that starts it, which may be the old one or the new.
    /// </summary>
    private static async Task<Process> StartFfmpegAsync()
    {
        var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", "-nostdin -nostats -loglevel error -re -f lavfi -i sine=duration=60 -f null -") { RedirectStandardError = true })!;
        // Generous: once, beside the quick benchmark's graph starting, ffmpeg had not started its threads within 10 s.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var threads = Threads(ffmpeg.Id);
        while (true)
        {
            await Task.Delay(TimeSpan.FromSeconds(0.5), timeout.Token);
            var now = Threads(ffmpeg.Id);
            if (now.Count >= 2 && now.SequenceEqual(threads))
            {
                return ffmpeg;
            }
            threads = now;
        }
    }

    private static List<string> Threads(int pid) => [.. Directory.EnumerateDirectories($"/proc/{pid}/task").Order(StringComparer.Ordinal)];

    /// <summary>The thread's nice value: the 19th field of its <c>stat</c>.</summary>
    private static int Nice(string thread) =>
        int.Parse(ProcStat.Fields(File.ReadAllText(Path.Combine(thread, "stat")))[16], CultureInfo.InvariantCulture);

    /// <summary>The thread's <c>Cpus_allowed_list</c> ("0-1,3") expanded.</summary>
    private static List<int> CpusAllowed(string thread) =>
        [.. File.ReadLines(Path.Combine(thread, "status")).Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim()
            .Split(',')
            .SelectMany(part => part.Split('-').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray() is [var from, var to]
                ? Enumerable.Range(from, to - from + 1)
                : [int.Parse(part, CultureInfo.InvariantCulture)])];
}
