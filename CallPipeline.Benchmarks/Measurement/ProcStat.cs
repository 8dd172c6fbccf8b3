using System.Globalization;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// Linux's <c>/proc/[pid]/stat</c> (and each thread's <c>/proc/[pid]/task/[tid]/stat</c>): the name sits in parentheses
/// and may hold spaces, so fields are counted after the last closing one.
/// </summary>
public static class ProcStat
{
    /// <summary>The kernel's USER_HZ: stat counts CPU time in these ticks (100 on every Linux we run on).</summary>
    public const double TicksPerSecond = 100;

    /// <summary>The process's or thread's name (comm).</summary>
    public static string Name(string stat) => stat[(stat.IndexOf('(') + 1)..stat.LastIndexOf(')')];

    /// <summary>The fields after the name: the first is field 3 (state), so field n is at index n - 3.</summary>
    public static string[] Fields(string stat) => stat[(stat.LastIndexOf(')') + 2)..].Split(' ');

    /// <summary>CPU time in user and kernel mode together (fields 14 and 15), in ticks.</summary>
    public static long CpuTicks(string stat)
    {
        var (user, kernel) = CpuTicksByMode(stat);
        return user + kernel;
    }

    /// <summary>CPU time in user mode (field 14) and in kernel mode (field 15), in ticks.</summary>
    public static (long User, long Kernel) CpuTicksByMode(string stat)
    {
        var fields = Fields(stat);
        return (long.Parse(fields[11], CultureInfo.InvariantCulture), long.Parse(fields[12], CultureInfo.InvariantCulture));
    }
}
