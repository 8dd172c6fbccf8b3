using System.Diagnostics;
using System.Globalization;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>CPU time and resident memory of one process, read from Linux's /proc.</summary>
public sealed class ProcessSampler(int processId)
{
    /// <summary>The kernel's USER_HZ: /proc/[pid]/stat counts CPU time in these ticks (100 on every Linux we run on).</summary>
    public const double TicksPerSecond = 100;

    public ProcessSample Sample()
    {
        var stat = File.ReadAllText($"/proc/{processId}/stat");
        // Fields after the command name, which may itself hold spaces: state is field 3, utime 14, stime 15.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        var rssKb = File.ReadLines($"/proc/{processId}/status")
            .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .Single();
        return new ProcessSample(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(ticks / TicksPerSecond), rssKb * 1024);
    }
}

public readonly record struct ProcessSample(long Timestamp, TimeSpan Cpu, long RssBytes)
{
    /// <summary>CPU used between two samples as a percentage of one core (200 % is both cores of a 2-core machine).</summary>
    public static double CpuPercent(ProcessSample from, ProcessSample to) =>
        100 * (to.Cpu - from.Cpu).TotalSeconds / Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
}
