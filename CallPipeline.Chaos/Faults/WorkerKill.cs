using Aspire.Hosting.ApplicationModel;
using CallPipeline.Chaos.Graph;
using CallPipeline.Chaos.Verification;

namespace CallPipeline.Chaos.Faults;

/// <summary>
/// <c>kill -9</c> of the worker's process (the child of the <c>dotnet run</c> Aspire started), then the dashboard's
/// start command once Aspire shows it ended: nothing restarts a dead resource by itself.
/// </summary>
public sealed class WorkerKill(PipelineLedger ledger) : IChaosFault
{
    private const string Worker = "worker";
    private static readonly TimeSpan StateFileWait = TimeSpan.FromSeconds(15);

    public string Kind => "worker killed (SIGKILL)";

    public async Task<FaultOutcome> InjectAsync(ChaosGraph graph, CancellationToken cancellationToken)
    {
        var launcher = await graph.ProcessIdAsync(Worker, cancellationToken);
        var pid = ProcessTree.Descendants(launcher).Prepend(launcher)
            .FirstOrDefault(p => ProcessTree.CommandLine(p).Split(' ')[0].EndsWith("CallPipeline.Worker", StringComparison.Ordinal));
        if (pid == 0)
        {
            throw new InvalidOperationException($"No CallPipeline.Worker process under {launcher} ({ProcessTree.CommandLine(launcher)}).");
        }
        var running = await ledger.JobsRunningInAsync(pid, cancellationToken);

        ProcessTree.Signal(pid, ProcessTree.SigKill);
        var ended = await graph.WaitEndedAsync(Worker, cancellationToken);
        var inStateFile = await StateFileShowsEndedAsync(graph, cancellationToken);
        await graph.CommandAsync(Worker, KnownResourceCommands.StartCommand, cancellationToken);
        await graph.WaitHealthyAsync(Worker, cancellationToken);

        return new FaultOutcome(
            $"pid {pid} killed with {running} jobs running; Aspire showed it {ended.State?.Text} (exit code {ended.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}), " +
            $"the state file {inStateFile ?? "did not change"}; started again with the start command",
            inStateFile);
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
