using Aspire.Hosting.ApplicationModel;
using CallPipeline.Chaos.Graph;
using CallPipeline.Chaos.Verification;

namespace CallPipeline.Chaos.Faults;

/// <summary>
/// <c>kill -9</c> of the worker's process (the child of the <c>dotnet run</c> Aspire started) once it holds a job, then
/// the dashboard's start command once Aspire shows it ended: nothing restarts a dead resource by itself.
/// </summary>
public sealed class WorkerKill(PipelineLedger ledger) : IChaosFault
{
    private const string Worker = "worker";
    private static readonly TimeSpan StateFileWait = TimeSpan.FromSeconds(15);
    private static readonly TimeSpan JobWait = TimeSpan.FromSeconds(60);

    public const string Name = "worker killed (SIGKILL)";

    public string Kind => Name;

    public async Task<FaultOutcome> InjectAsync(ChaosGraph graph, CancellationToken cancellationToken)
    {
        var launcher = await graph.ProcessIdAsync(Worker, cancellationToken);
        var pid = ProcessTree.Descendants(launcher).Prepend(launcher)
            .FirstOrDefault(p => ProcessTree.CommandLine(p).Split(' ')[0].EndsWith("CallPipeline.Worker", StringComparison.Ordinal));
        if (pid == 0)
        {
            throw new InvalidOperationException($"No CallPipeline.Worker process under {launcher} ({ProcessTree.CommandLine(launcher)}).");
        }
        var running = await JobsRunningAsync(pid, cancellationToken);

        ProcessTree.Signal(pid, ProcessTree.SigKill);
        var ended = await graph.WaitEndedAsync(Worker, cancellationToken);
        var inStateFile = await StateFileShowsEndedAsync(graph, cancellationToken);
        await graph.StartAgainAsync(Worker, cancellationToken);

        return new FaultOutcome(
            $"pid {pid} killed with {running} jobs running; Aspire showed it {ended.State?.Text} (exit code {ended.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}), " +
            $"the state file {inStateFile ?? "did not change"}; started again with the start command",
            inStateFile);
    }

    /// <summary>Waits (a while) until the worker holds a job, so the kill interrupts work; returns how many it holds.</summary>
    private async Task<int> JobsRunningAsync(int pid, CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow + JobWait;
        while (true)
        {
            var running = await ledger.JobsRunningInAsync(pid, cancellationToken);
            if (running > 0 || DateTimeOffset.UtcNow > deadline)
            {
                return running;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken);
        }
    }

    private static async Task<string?> StateFileShowsEndedAsync(ChaosGraph graph, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(StateFileWait);
        try
        {
            while (true)
            {
                if (graph.StateInFile(Worker) is { } state && KnownResourceStates.TerminalStates.Contains(state))
                {
                    return state;
                }
                await Task.Delay(TimeSpan.FromMilliseconds(200), timeout.Token);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
