extern alias benchmarks;

using System.Diagnostics;
using System.Globalization;
using benchmarks::CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>The worker benchmark gives the worker a CPU of its own: every thread of a process is moved, as Linux reports it.</summary>
public sealed class CpuAffinityTests
{
    [Fact]
    public async Task Every_thread_of_a_process_is_moved_to_the_CPUs_given_and_back()
    {
        var allowed = CpuAffinity.Allowed();
        Assert.NotEmpty(allowed);
        // ffmpeg playing a tone in real time runs several threads, as the worker does.
        using var ffmpeg = Process.Start(new ProcessStartInfo("ffmpeg", "-nostdin -re -f lavfi -i sine=duration=30 -f null -") { RedirectStandardError = true })!;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            while (Threads(ffmpeg.Id).Count < 2)
            {
                await Task.Delay(20, timeout.Token);
            }

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

    private static List<string> Threads(int pid) => [.. Directory.EnumerateDirectories($"/proc/{pid}/task")];

    /// <summary>The thread's <c>Cpus_allowed_list</c> ("0-1,3") expanded.</summary>
    private static List<int> CpusAllowed(string thread) =>
        [.. File.ReadLines(Path.Combine(thread, "status")).Single(l => l.StartsWith("Cpus_allowed_list:", StringComparison.Ordinal)).Split(':')[1].Trim()
            .Split(',')
            .SelectMany(part => part.Split('-').Select(n => int.Parse(n, CultureInfo.InvariantCulture)).ToArray() is [var from, var to]
                ? Enumerable.Range(from, to - from + 1)
                : [int.Parse(part, CultureInfo.InvariantCulture)])];
}
