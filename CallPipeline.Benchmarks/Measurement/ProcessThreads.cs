using System.Globalization;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// Applies one of Linux's per-thread settings (CPU affinity, nice value) to every thread of a process. The threads are
/// listed from <c>/proc/{pid}/task</c> again until a listing holds no thread not yet set: a thread started by one not yet
/// set keeps the old setting, and only a later listing shows it. Threads and processes started later take the setting
/// of the thread that starts them.
/// </summary>
public static class ProcessThreads
{
    /// <summary>ESRCH: the thread ended between listing and setting.</summary>
    private const int NoSuchThread = 3;

    /// <summary>
    /// Calls <paramref name="set"/> (a thread id in; 0, or the errno, out) for every thread of process
    /// <paramref name="pid"/>; a process or thread that has ended is left. 0, or the first errno other than ESRCH.
    /// </summary>
    public static int SetEach(int pid, Func<int, int> set)
    {
        var done = new HashSet<int>();
        while (true)
        {
            List<int> threads;
            try
            {
                threads = [.. Directory.EnumerateDirectories($"/proc/{pid}/task").Select(task => int.Parse(Path.GetFileName(task), CultureInfo.InvariantCulture))];
            }
            catch (DirectoryNotFoundException)
            {
                return 0;
            }
            var unset = threads.Where(thread => !done.Contains(thread)).ToList();
            if (unset.Count == 0)
            {
                return 0;
            }
            foreach (var thread in unset)
            {
                if (set(thread) is var error and not 0 and not NoSuchThread)
                {
                    return error;
                }
                done.Add(thread);
            }
        }
    }
}
