using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// One server under measurement (a service of the graph, or the gateway benchmark's Node.js baseline), with every process
/// it starts, on a CPU of its own; the graph (the other services, the doubles, Postgres, Redis, the orchestrator) and,
/// unless told not to, the benchmark's own process (the load generator, Twilio's side) on the other CPUs. In production a
/// service's container shares its CPU with none of them: OpenAI and Twilio are other companies' machines, Postgres and
/// Redis managed services. On one shared machine the doubles alone took as much CPU as the worker, and the gateway's
/// threads took CPU from the load generator, which then sent frames late: each was measured against everything on the box.
/// The gateway benchmark's process, which joins the graph's CPUs, also runs first there (the graph's processes at a nice
/// value <see cref="GraphNiceIncrement"/> above its own): at the same priority, the graph's work as calls started and ended
/// (Postgres storing recordings, the Twilio double) made the gateway benchmark's frames go out late, and the server's
/// frame lag, measured from the frames' own timestamps, was mostly that lateness (see the benchmarks' README).
/// </summary>
public sealed class OwnCpu : IDisposable
{
    public const int GraphNiceIncrement = 10;

    private readonly int _server;
    private readonly int _orchestrator;
    private readonly IReadOnlyList<int> _allowed;
    private readonly bool _movedSelf;
    private readonly bool _graphBehind;

    private OwnCpu(int cpu, int server, int orchestrator, IReadOnlyList<int> allowed, bool movedSelf, bool graphBehind)
    {
        Cpu = cpu;
        _server = server;
        _orchestrator = orchestrator;
        _allowed = allowed;
        _movedSelf = movedSelf;
        _graphBehind = graphBehind;
    }

    /// <summary>
    /// The runtime settings of a server that will get a CPU of its own: .NET sizes its thread pool's spinning and its
    /// socket engines by the CPUs it sees as it starts, and the server moves to its CPU only once started, so it is told,
    /// as a container limited to one CPU tells it through its cgroup. None on a machine where <see cref="Give"/> cannot
    /// place it. Told, the gateway spent 10 to 24 % less CPU a frame at 100 to 1,000 calls (two pairs of runs, 2026-12-03).
    /// </summary>
    public static IReadOnlyDictionary<string, string> ServerEnvironment() =>
        Placeable() is not null ? new Dictionary<string, string> { ["DOTNET_PROCESSOR_COUNT"] = "1" } : new Dictionary<string, string>();

    /// <summary>The server's CPU.</summary>
    public int Cpu { get; }

    /// <summary>
    /// Moves the server (process <paramref name="servicePid"/> and its children) to the first CPU this process may use,
    /// the rest of the graph (found from <paramref name="graphPid"/>, any process the orchestrator started) to the others,
    /// and this process too when <paramref name="moveSelf"/>, ahead of the graph there when <paramref name="aheadOfGraph"/>.
    /// Null on a machine that gives this process fewer than two CPUs, or where CPUs cannot be set (not Linux).
    /// </summary>
    public static OwnCpu? Give(int servicePid, int graphPid, bool moveSelf, bool aheadOfGraph = false)
    {
        if (Placeable() is not { } allowed)
        {
            return null;
        }
        var graphBehind = moveSelf && aheadOfGraph;
        var (cpu, others) = (allowed[0], allowed.Skip(1).ToList());
        var tree = ProcessTree.Snapshot();
        var orchestrator = tree.OutermostAncestor(graphPid, p => p.Program == "dcp")
            ?? throw new InvalidOperationException($"Process {graphPid} was not started by Aspire's orchestrator.");
        var service = tree.TreeOf(servicePid).Select(p => p.Id).ToHashSet();
        var graphNice = NiceValue.OfThisProcess() + GraphNiceIncrement;
        foreach (var process in tree.TreeOf(orchestrator.Id).Where(p => !service.Contains(p.Id)))
        {
            CpuAffinity.Set(process.Id, others);
            if (graphBehind)
            {
                NiceValue.TrySet(process.Id, graphNice);
            }
        }
        foreach (var id in service)
        {
            CpuAffinity.Set(id, [cpu]);
        }
        if (moveSelf)
        {
            CpuAffinity.Set(Environment.ProcessId, others);
        }
        return new OwnCpu(cpu, servicePid, orchestrator.Id, allowed, moveSelf, graphBehind);
    }

    /// <summary>The CPUs this process may use, where a server can have one of them to itself: on Linux, with two or more.</summary>
    private static IReadOnlyList<int>? Placeable() =>
        OperatingSystem.IsLinux() && CpuAffinity.Allowed() is { Count: >= 2 } allowed ? allowed : null;

    /// <summary>
    /// Gives the server, the graph's processes (those started since too) and this process back the CPUs this process had,
    /// and the graph this process's priority where it may: only root may lower a nice value, and a line says when it could not.
    /// </summary>
    public void Dispose()
    {
        var tree = ProcessTree.Snapshot();
        var nice = NiceValue.OfThisProcess();
        var niceRestored = true;
        foreach (var process in tree.TreeOf(_orchestrator).Concat(tree.TreeOf(_server)).DistinctBy(p => p.Id))
        {
            CpuAffinity.Set(process.Id, _allowed);
            if (_graphBehind)
            {
                niceRestored &= NiceValue.TrySet(process.Id, nice);
            }
        }
        if (!niceRestored)
        {
            Console.Error.WriteLine($"The graph keeps nice value {nice + GraphNiceIncrement} (only root may lower it): the benchmarks after this one give this process priority over the graph.");
        }
        if (_movedSelf)
        {
            CpuAffinity.Set(Environment.ProcessId, _allowed);
        }
    }
}
