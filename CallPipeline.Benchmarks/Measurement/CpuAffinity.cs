using System.Runtime.InteropServices;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// Which CPUs a process's threads may run on (Linux's <c>sched_setaffinity</c>, up to 64 CPUs). Written by hand because
/// .NET's <c>Process.ProcessorAffinity</c> sets only a process's first thread on Linux: here every thread is set
/// (<see cref="ProcessThreads"/>).
/// </summary>
public static partial class CpuAffinity
{
    /// <summary>The CPUs this process may run on now, lowest first.</summary>
    public static IReadOnlyList<int> Allowed()
    {
        var mask = 0UL;
        if (SchedGetAffinity(0, sizeof(ulong), ref mask) != 0)
        {
            throw new InvalidOperationException($"sched_getaffinity failed with errno {Marshal.GetLastPInvokeError()}.");
        }
        return [.. Enumerable.Range(0, 64).Where(cpu => (mask & (1UL << cpu)) != 0)];
    }

    /// <summary>Every thread of process <paramref name="pid"/> may run only on <paramref name="cpus"/>; a process that has ended is left.</summary>
    public static void Set(int pid, IReadOnlyCollection<int> cpus)
    {
        var mask = cpus.Aggregate(0UL, (bits, cpu) => bits | (1UL << cpu));
        if (ProcessThreads.SetEach(pid, thread => SchedSetAffinity(thread, sizeof(ulong), ref mask) == 0 ? 0 : Marshal.GetLastPInvokeError()) is var error and not 0)
        {
            throw new InvalidOperationException($"sched_setaffinity of a thread of process {pid} failed with errno {error}.");
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nuint size, ref ulong mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ref ulong mask);
}
