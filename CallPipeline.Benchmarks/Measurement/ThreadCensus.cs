using System.Globalization;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// CPU time and context switches of each thread of a process, read from <c>/proc/{pid}/task</c>: which threads a
/// server's CPU goes to, and how often they sleep and wake. A server's CPU a frame is the sum; this is its parts.
/// </summary>
public static class ThreadCensus
{
    /// <summary>Every thread of the process now: its name, CPU ticks and context switches, by thread id.</summary>
    public static IReadOnlyDictionary<int, ThreadSample> Sample(int pid)
    {
        var threads = new Dictionary<int, ThreadSample>();
        IEnumerable<string> tasks;
        try
        {
            tasks = Directory.EnumerateDirectories($"/proc/{pid}/task").ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return threads;
        }
        foreach (var task in tasks)
        {
            try
            {
                var stat = File.ReadAllText(Path.Combine(task, "stat"));
                long voluntary = 0, involuntary = 0;
                foreach (var line in File.ReadLines(Path.Combine(task, "status")))
                {
                    if (line.StartsWith("voluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        voluntary = Count(line);
                    }
                    else if (line.StartsWith("nonvoluntary_ctxt_switches:", StringComparison.Ordinal))
                    {
                        involuntary = Count(line);
                    }
                }
                threads[int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture)] = new ThreadSample(ProcStat.Name(stat), ProcStat.CpuTicks(stat), voluntary, involuntary);
            }
            catch (IOException)
            {
                // The thread ended between listing and reading.
            }
        }
        return threads;
    }

    /// <summary>
    /// What each group of threads of one name (a pool's workers share theirs) did between two samples, busiest first.
    /// A thread started in between counts from zero; one that ended in between is missing from both.
    /// </summary>
    public static IReadOnlyList<ThreadGroupLoad> Between(IReadOnlyDictionary<int, ThreadSample> from, IReadOnlyDictionary<int, ThreadSample> to, TimeSpan elapsed) =>
        [.. to.Select(thread => (thread.Value.Name, Delta: from.TryGetValue(thread.Key, out var before) && before.Name == thread.Value.Name ? thread.Value - before : thread.Value))
            .GroupBy(thread => thread.Name)
            .Select(group => new ThreadGroupLoad(
                group.Key,
                group.Count(),
                100 * group.Sum(t => t.Delta.CpuTicks) / ProcStat.TicksPerSecond / elapsed.TotalSeconds,
                group.Sum(t => t.Delta.VoluntarySwitches) / elapsed.TotalSeconds,
                group.Sum(t => t.Delta.InvoluntarySwitches) / elapsed.TotalSeconds))
            .OrderByDescending(group => group.CpuPercent)
            .ThenBy(group => group.Name, StringComparer.Ordinal)];

    private static long Count(string line) => long.Parse(line[(line.IndexOf(':') + 1)..].Trim(), CultureInfo.InvariantCulture);
}

/// <summary>One thread's name, CPU time (in the kernel's ticks) and context switches since it started.</summary>
public readonly record struct ThreadSample(string Name, long CpuTicks, long VoluntarySwitches, long InvoluntarySwitches)
{
    public static ThreadSample operator -(ThreadSample to, ThreadSample from) =>
        new(to.Name, to.CpuTicks - from.CpuTicks, to.VoluntarySwitches - from.VoluntarySwitches, to.InvoluntarySwitches - from.InvoluntarySwitches);
}

/// <summary>
/// The threads of one name over a stretch of time: CPU in % of one core, and how often a second they went to sleep
/// (voluntary switches: waiting for work or I/O) or were switched out (involuntary: preempted, or yielding while spinning).
/// </summary>
public sealed record ThreadGroupLoad(string Name, int Threads, double CpuPercent, double VoluntarySwitchesPerSecond, double InvoluntarySwitchesPerSecond);
