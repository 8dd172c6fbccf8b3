using System.Diagnostics;
using System.Globalization;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>CPU time and resident memory of one process, read from Linux's /proc.</summary>
public sealed class ProcessSampler(int processId)
{
    public ProcessSample Sample()
    {
        var (user, kernel) = ProcStat.CpuTicksByMode(File.ReadAllText($"/proc/{processId}/stat"));
        var rssKb = File.ReadLines($"/proc/{processId}/status")
            .Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .Single();
        return new ProcessSample(
            Stopwatch.GetTimestamp(), TimeSpan.FromSeconds((user + kernel) / ProcStat.TicksPerSecond), TimeSpan.FromSeconds(kernel / ProcStat.TicksPerSecond), rssKb * 1024);
    }
}

/// <summary>A process's CPU time (all of it, and the part in the kernel) and resident memory at one moment.</summary>
public readonly record struct ProcessSample(long Timestamp, TimeSpan Cpu, TimeSpan KernelCpu, long RssBytes)
{
    /// <summary>CPU used between two samples as a percentage of one core (200 % is both cores of a 2-core machine).</summary>
    public static double CpuPercent(ProcessSample from, ProcessSample to) => Percent(to.Cpu - from.Cpu, from, to);

    /// <summary>The part of <see cref="CpuPercent"/> spent in the kernel (system calls, and the network stack's work).</summary>
    public static double KernelCpuPercent(ProcessSample from, ProcessSample to) => Percent(to.KernelCpu - from.KernelCpu, from, to);

    private static double Percent(TimeSpan used, ProcessSample from, ProcessSample to) =>
        100 * used.TotalSeconds / Stopwatch.GetElapsedTime(from.Timestamp, to.Timestamp).TotalSeconds;
}
