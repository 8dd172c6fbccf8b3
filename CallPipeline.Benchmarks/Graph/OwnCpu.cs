using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// One server under measurement (a service of the graph, or the gateway benchmark's Node.js baseline), with every process
/// it starts, on a CPU of its own; the graph (the other services, the doubles, Postgres, Redis, the orchestrator) and,
/// unless told not to, the benchmark's own process (the load generator, Twilio's side) on the other CPUs. In production a
/// service's container shares its CPU with none of them: OpenAI and Twilio are other companies' machines, Postgres and
/// Redis managed services. On one shared machine the doubles alone took as much CPU as the worker, and the gateway's
/// threads took CPU from the load generator, which then sent frames late: each was measured against everything on the box.
/// </summary>
public sealed class OwnCpu : IDisposable
{
    private readonly int _server;
    private readonly int _orchestrator;
    private readonly IReadOnlyList<int> _allowed;
    private readonly bool _movedSelf;

    private OwnCpu(int cpu, int server, int orchestrator, IReadOnlyList<int> allowed, bool movedSelf)
    {
        Cpu = cpu;
        _server = server;
        _orchestrator = orchestrator;
        _allowed = allowed;
        _movedSelf = movedSelf;
    }

    /// <summary>The server's CPU.</summary>
    public int Cpu { get; }

    /// <summary>
    /// Moves the server (process <paramref name="servicePid"/> and its children) to the first CPU this process may use,
    /// the rest of the graph (found from <paramref name="graphPid"/>, any process the orchestrator started) to the others,
    /// and this process too when <paramref name="moveSelf"/>. Null on a machine that gives this process fewer than two
    /// CPUs, or where CPUs cannot be set (not Linux).
    /// </summary>
    public static OwnCpu? Give(int servicePid, int graphPid, bool moveSelf)
    {
        if (!OperatingSystem.IsLinux() || CpuAffinity.Allowed() is not { Count: >= 2 } allowed)
        {
            return null;
        }
        var (cpu, others) = (allowed[0], allowed.Skip(1).ToList());
        var tree = ProcessTree.Snapshot();
        var orchestrator = tree.OutermostAncestor(graphPid, p => p.Program == "dcp")
            ?? throw new InvalidOperationException($"Process {graphPid} was not started by Aspire's orchestrator.");
        var service = tree.TreeOf(servicePid).Select(p => p.Id).ToHashSet();
        foreach (var process in tree.TreeOf(orchestrator.Id).Where(p => !service.Contains(p.Id)))
        {
            CpuAffinity.Set(process.Id, others);
        }
        foreach (var id in service)
        {
            CpuAffinity.Set(id, [cpu]);
        }
        if (moveSelf)
        {
            CpuAffinity.Set(Environment.ProcessId, others);
        }
        return new OwnCpu(cpu, servicePid, orchestrator.Id, allowed, moveSelf);
    }

    /// <summary>Gives the server, the graph's processes (those started since too) and this process back the CPUs this process had.</summary>
    public void Dispose()
    {
        var tree = ProcessTree.Snapshot();
        foreach (var process in tree.TreeOf(_orchestrator).Concat(tree.TreeOf(_server)).DistinctBy(p => p.Id))
        {
            CpuAffinity.Set(process.Id, _allowed);
        }
        if (_movedSelf)
        {
            CpuAffinity.Set(Environment.ProcessId, _allowed);
        }
    }
}
