using CallPipeline.Chaos.Graph;

namespace CallPipeline.Chaos.Faults;

/// <summary>Every Postgres process stopped with SIGSTOP, and continued with SIGCONT after a while: a hung database.</summary>
public sealed class PostgresFreeze(TimeSpan duration) : IChaosFault
{
    public const string Name = "Postgres frozen (SIGSTOP)";

    public string Kind => Name;

    public async Task<FaultOutcome> InjectAsync(ChaosGraph graph, CancellationToken cancellationToken)
    {
        var server = await graph.ProcessIdAsync("postgres", cancellationToken);
        var processes = ProcessTree.Descendants(server).Prepend(server).Where(p => ProcessTree.Name(p) == "postgres").ToList();
        if (processes.Count == 0)
        {
            throw new InvalidOperationException($"No postgres process at or under {server} ({ProcessTree.CommandLine(server)}).");
        }
        foreach (var pid in processes)
        {
            ProcessTree.Signal(pid, ProcessTree.SigStop);
        }
        try
        {
            await Task.Delay(duration, cancellationToken);
        }
        finally
        {
            // Even when the run is stopped: a frozen database must never outlive it.
            foreach (var pid in processes)
            {
                try
                {
                    ProcessTree.Signal(pid, ProcessTree.SigCont);
                }
                catch (InvalidOperationException)
                {
                }
            }
        }
        return new FaultOutcome(FormattableString.Invariant($"{processes.Count} postgres processes stopped for {duration.TotalSeconds:0} s, then continued"));
    }
}
