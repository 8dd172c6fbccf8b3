using System.Diagnostics;
using System.Globalization;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>CPU time and resident memory of one process, read from Linux's /proc.</summary>
public sealed class ProcessSampler(int processId)
{
    public ProcessSample Sample()
    {
        var ticks = ProcStat.CpuTicks(File.ReadAllText($"/proc/{processId}/stat"));
        var rssKb = File.ReadLines($"/proc/{processId}/status")
            .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .Single();
        return new ProcessSample(Stopwatch.GetTimestamp(), TimeSpan.FromSeconds(ticks / ProcStat.TicksPerSecond), rssKb * 1024);
    }
}

public readonly record struct ProcessSample(long Timestamp, TimeSpan Cpu, long RssBytes)
{
    /// <summary>CPU used between two samples as a percentage of one core (200 % is both cores of a 2-core machine).</summary>
    public static double CpuPercent(ProcessSample from, ProcessSample to) =>
        100 * (to.Cpu - from.Cpu).TotalSeconds / Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
}
