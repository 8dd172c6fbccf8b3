using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Graph;

/// <summary>
/// One service of the graph, with every process it starts, on a CPU of its own; the rest of the graph (the other
/// services, the doubles, Postgres, Redis, the orchestrator) and, unless told not to, the benchmark's own process on the
/// other CPUs. In production the worker's container shares its CPU with none of them: OpenAI and Twilio are other
/// companies' machines, Postgres and Redis managed services. On one shared machine the doubles alone took as much CPU as
/// the worker, so the worker was measured against everything on the box instead of against ffmpeg.
/// </summary>
public sealed class OwnCpu : IDisposable
{
    private readonly int _orchestrator;
    private readonly IReadOnlyList<int> _allowed;
    private readonly bool _movedSelf;

    private OwnCpu(int cpu, int orchestrator, IReadOnlyList<int> allowed, bool movedSelf)
    {
        Cpu = cpu;
        _orchestrator = orchestrator;
        _allowed = allowed;
        _movedSelf = movedSelf;
    }

    /// <summary>The service's CPU.</summary>
    public int Cpu { get; }

    /// <summary>
    /// Moves the service (process <paramref name="servicePid"/> and its children) to the first CPU this process may use,
    /// the rest of its graph to the others, and this process too when <paramref name="moveSelf"/>. Null on a machine that
    /// gives this process fewer than two CPUs, or where CPUs cannot be set (not Linux).
    /// </summary>
    public static OwnCpu? Give(int servicePid, bool moveSelf)
    {
        if (!OperatingSystem.IsLinux() || CpuAffinity.Allowed() is not { Count: >= 2 } allowed)
        {
            return null;
        }
        var (cpu, others) = (allowed[0], allowed.Skip(1).ToList());
        var tree = ProcessTree.Snapshot();
        var orchestrator = tree.OutermostAncestor(servicePid, p => p.Program == "dcp")
            ?? throw new InvalidOperationException($"Process {servicePid} was not started by Aspire's orchestrator.");
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
        return new OwnCpu(cpu, orchestrator.Id, allowed, moveSelf);
    }

    /// <summary>Gives the graph's processes (those started since too) and this process back the CPUs this process had.</summary>
    public void Dispose()
    {
        foreach (var process in ProcessTree.Snapshot().TreeOf(_orchestrator))
        {
            CpuAffinity.Set(process.Id, _allowed);
        }
        if (_movedSelf)
        {
            CpuAffinity.Set(Environment.ProcessId, _allowed);
        }
    }
}
