using System.Runtime.InteropServices;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// A process's scheduling priority: Linux's nice value, which is per thread, set on every thread
/// (<see cref="ProcessThreads"/>). Written by hand because .NET's <c>Process.PriorityClass</c> sets only the first thread
/// on Linux. Anyone may raise a nice value (lower the priority); only root may lower it again.
/// </summary>
public static partial class NiceValue
{
    private const int OfProcess = 0;

    /// <summary>This process's nice value (its first thread's).</summary>
    public static int OfThisProcess() => GetPriority(OfProcess, 0);

    /// <summary>Sets every thread of process <paramref name="pid"/> to <paramref name="nice"/>; false when one could not be set (a lower value without the privilege).</summary>
    public static bool TrySet(int pid, int nice) =>
        ProcessThreads.SetEach(pid, thread => SetPriority(OfProcess, thread, nice) == 0 ? 0 : Marshal.GetLastPInvokeError()) == 0;

    [LibraryImport("libc", EntryPoint = "getpriority")]
    private static partial int GetPriority(int which, int who);

    [LibraryImport("libc", EntryPoint = "setpriority", SetLastError = true)]
    private static partial int SetPriority(int which, int who, int prio);
}
