using System.Globalization;
using System.Runtime.InteropServices;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// Which CPUs a process's threads may run on (Linux's <c>sched_setaffinity</c>, up to 64 CPUs). Written by hand because
/// .NET's <c>Process.ProcessorAffinity</c> sets only a process's first thread on Linux: here every thread listed in
/// <c>/proc/{pid}/task</c> is set. Threads and processes started later take the setting of the thread that starts them.
/// </summary>
public static partial class CpuAffinity
{
    /// <summary>ESRCH: the thread ended between listing and setting.</summary>
    private const int NoSuchThread = 3;

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

    /// <summary>
    /// Every thread of process <paramref name="pid"/> may run only on <paramref name="cpus"/>; a process that has ended is left.
    /// The threads are listed again until a listing holds no thread not yet set: a thread started by one not yet set keeps
    /// the old CPUs, and only a later listing shows it.
    /// </summary>
    public static void Set(int pid, IReadOnlyCollection<int> cpus)
    {
        var mask = cpus.Aggregate(0UL, (bits, cpu) => bits | (1UL << cpu));
        var set = new HashSet<int>();
        while (true)
        {
            List<int> threads;
            try
            {
                threads = [.. Directory.EnumerateDirectories($"/proc/{pid}/task").Select(task => int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))];
            }
            catch (DirectoryNotFoundException)
            {
                return;
            }
            var unset = threads.Where(thread => !set.Contains(thread)).ToList();
            if (unset.Count == 0)
            {
                return;
            }
            foreach (var thread in unset)
            {
                if (SchedSetAffinity(thread, sizeof(ulong), ref mask) != 0 && Marshal.GetLastPInvokeError() != NoSuchThread)
                {
                    throw new InvalidOperationException($"sched_setaffinity of thread {thread} failed with errno {Marshal.GetLastPInvokeError()}.");
                }
                set.Add(thread);
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "sched_getaffinity", SetLastError = true)]
    private static partial int SchedGetAffinity(int pid, nuint size, ref ulong mask);

    [LibraryImport("libc", EntryPoint = "sched_setaffinity", SetLastError = true)]
    private static partial int SchedSetAffinity(int pid, nuint size, ref ulong mask);
}
