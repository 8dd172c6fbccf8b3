using System.Globalization;

namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// The machine's processes as Linux's /proc shows them at one moment: who started whom, each one's command line and
/// resident memory. A resource is often more than one process (a project's host and the service in it, Postgres and its
/// backends), so its memory is that of its whole tree.
/// </summary>
public sealed class ProcessTree
{
    private readonly Dictionary<int, ProcessInfo> _processes;
    private readonly ILookup<int, int> _children;

    private ProcessTree(Dictionary<int, ProcessInfo> processes)
    {
        _processes = processes;
        _children = processes.Values.ToLookup(p => p.ParentId, p => p.Id);
    }

    public static ProcessTree Snapshot()
    {
        var processes = new Dictionary<int, ProcessInfo>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), out var pid) && ProcessInfo.TryRead(pid) is { } info)
            {
                processes[pid] = info;
            }
        }
        return new ProcessTree(processes);
    }

    /// <summary>The process and everything it started, and they started, that is still running.</summary>
    public IReadOnlyList<ProcessInfo> TreeOf(int pid)
    {
        var found = new List<ProcessInfo>();
        var frontier = new Queue<int>([pid]);
        while (frontier.TryDequeue(out var current))
        {
            if (_processes.TryGetValue(current, out var info))
            {
                found.Add(info);
            }
            foreach (var child in _children[current])
            {
                frontier.Enqueue(child);
            }
        }
        return found;
    }

    public long TreeRssBytes(int pid) => TreeOf(pid).Sum(p => p.RssBytes);

    /// <summary>The first process in the tree whose command line contains <paramref name="fragment"/> (e.g. the service's own dll under its host).</summary>
    public ProcessInfo? FindInTree(int pid, string fragment) =>
        TreeOf(pid).FirstOrDefault(p => p.CommandLine.Contains(fragment, StringComparison.Ordinal));

    public IEnumerable<ProcessInfo> All => _processes.Values;

    /// <summary>The farthest ancestor of <paramref name="pid"/> reached through processes that all match <paramref name="match"/>.</summary>
    public ProcessInfo? OutermostAncestor(int pid, Func<ProcessInfo, bool> match)
    {
        ProcessInfo? found = null;
        for (var current = _processes.GetValueOrDefault(pid); current is not null; current = _processes.GetValueOrDefault(current.ParentId))
        {
            if (match(current))
            {
                found = current;
            }
            else if (found is not null)
            {
                break;
            }
        }
        return found;
    }
}

public sealed record ProcessInfo(int Id, int ParentId, string CommandLine, long RssBytes)
{
    /// <summary>
    /// The process's proportional share of memory (PSS): a page shared by n processes counts 1/n in each, so a sum over
    /// processes counts shared memory (Postgres's shared buffers, the runtime's mapped files) once. 0 when unreadable.
    /// </summary>
    public long PssBytes()
    {
        try
        {
            return File.ReadLines($"/proc/{Id}/smaps_rollup")
                .Where(l => l.StartsWith("Pss:", StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) * 1024)
                .FirstOrDefault();
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    /// <summary>The program's file name (the first argument, without its folder).</summary>
    public string Program => System.IO.Path.GetFileName(CommandLine.Split(' ', 2)[0]);

    public static ProcessInfo? TryRead(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // ppid is field 4, rss (pages) field 24.
            var fields = ProcStat.Fields(stat);
            var parent = int.Parse(fields[1], CultureInfo.InvariantCulture);
            var rssPages = long.Parse(fields[21], CultureInfo.InvariantCulture);
            var commandLine = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return new ProcessInfo(pid, parent, commandLine, rssPages * Environment.SystemPageSize);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            // Gone between listing and reading, or not ours to read.
            return null;
        }
    }
}
