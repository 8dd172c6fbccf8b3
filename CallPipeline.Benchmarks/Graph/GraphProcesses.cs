using System.Text.RegularExpressions;
using CallPipeline.Benchmarks.Measurement;
using CallPipeline.Benchmarks.Reports;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// The processes of one running graph, each put to the resource it serves: a project under Aspire is a <c>dotnet run</c>
/// host and the service it starts, Postgres a postmaster and its backends, the orchestrator (DCP) an API server, its
/// controllers and a monitor per process. A process belongs to the first resource its command line names, walking up
/// its parents. The orchestrator runs detached, tied to its AppHost by <c>--monitor {pid}</c>.
/// </summary>
public static partial class GraphProcesses
{
    public const string Orchestrator = "orchestrator (dcp)";
    public const string AppHost = "apphost";

    /// <summary>The AppHost's project resources by project folder, as the AppHost names them.</summary>
    private static readonly Dictionary<string, string> Projects = new(StringComparer.Ordinal)
    {
        ["CallPipeline.Voice"] = BenchmarkGraph.Voice,
        ["CallPipeline.Worker"] = BenchmarkGraph.Worker,
        ["CallPipeline.WebhookReceiver"] = "webhook-receiver",
        ["CallPipeline.DevDoubles"] = BenchmarkGraph.DevDoubles,
        ["CallPipeline.MigrationService"] = "migrator",
        ["CallPipeline.AppHost"] = AppHost,
    };

    /// <summary>Memory by resource of the graph whose AppHost is the process <paramref name="appHostPid"/>, started by the run command <paramref name="runCommandPid"/>.</summary>
    public static IReadOnlyList<ResourceMemory> OfAppHost(int runCommandPid, int appHostPid)
    {
        var tree = ProcessTree.Snapshot();
        var orchestrator = tree.All.Where(p => p.Program == "dcp" && MonitoredPid(p) == appHostPid).Select(p => p.Id);
        return MemoryByResource(tree, [runCommandPid, .. orchestrator]);
    }

    /// <summary>Memory by resource of the graph one of whose resources is the process <paramref name="resourcePid"/> (its AppHost not counted).</summary>
    public static IReadOnlyList<ResourceMemory> OfResource(int resourcePid)
    {
        var tree = ProcessTree.Snapshot();
        var orchestrator = tree.OutermostAncestor(resourcePid, p => p.Program == "dcp")
            ?? throw new InvalidOperationException($"Process {resourcePid} was not started by Aspire's orchestrator.");
        return MemoryByResource(tree, [orchestrator.Id]);
    }

    private static IReadOnlyList<ResourceMemory> MemoryByResource(ProcessTree tree, IEnumerable<int> roots)
    {
        var members = roots.SelectMany(tree.TreeOf).DistinctBy(p => p.Id).ToDictionary(p => p.Id);
        return members.Values
            .GroupBy(p => ResourceOf(p, members))
            .Select(g => new ResourceMemory(g.Key, g.Count(), g.Sum(p => p.RssBytes) / 1048576.0, g.Sum(p => p.PssBytes()) / 1048576.0))
            .OrderByDescending(r => r.PssMiB)
            .ToList();
    }

    private static string ResourceOf(ProcessInfo process, Dictionary<int, ProcessInfo> members)
    {
        for (var current = process; current is not null; current = members.GetValueOrDefault(current.ParentId))
        {
            if (Named(current) is { } resource)
            {
                return resource;
            }
        }
        return "other";
    }

    private static string? Named(ProcessInfo process) =>
        process.Program == "dcp" ? Orchestrator
        : process.CommandLine.Contains("Aspire.Dashboard", StringComparison.Ordinal) ? "dashboard"
        : ProjectFolder().Match(process.CommandLine) is { Success: true } project && Projects.TryGetValue(project.Groups["project"].Value, out var name) ? name
        : process.Program == "postgres" || process.CommandLine.StartsWith("postgres:", StringComparison.Ordinal) ? "postgres"
        : process.Program == "redis-server" ? "cache"
        : null;

    private static int? MonitoredPid(ProcessInfo process)
    {
        var arguments = process.CommandLine.Split(' ');
        var monitor = Array.IndexOf(arguments, "--monitor");
        return monitor >= 0 && monitor + 1 < arguments.Length && int.TryParse(arguments[monitor + 1], out var pid) ? pid : null;
    }

    [GeneratedRegex(@"(?<project>CallPipeline\.[A-Za-z]+)(\.csproj|\.dll|/bin/|\s|$)")]
    private static partial Regex ProjectFolder();
}
