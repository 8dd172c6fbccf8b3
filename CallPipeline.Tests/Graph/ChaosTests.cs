extern alias chaos;

using Aspire.Hosting.ApplicationModel;
using chaos::CallPipeline.Chaos;
using chaos::CallPipeline.Chaos.Faults;
using chaos::CallPipeline.Chaos.Graph;

namespace CallPipeline.Tests.Graph;

/// <summary>
/// The chaos run's short version on the shared graph: 30 calls while the worker is killed, the receiver fails a share
/// of deliveries, Redis restarts and Postgres freezes, once each. It proves the invariants, never timings.
/// </summary>
[Collection(GraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class ChaosTests(GraphFixture graph)
{
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(6);

    [Fact]
    public async Task Thirty_calls_through_a_worker_kill_failing_deliveries_a_Redis_restart_and_a_Postgres_freeze_are_each_processed_and_delivered_once()
    {
        using var timeout = new CancellationTokenSource(RunTimeout);
        var progress = new StringWriter();

        var report = await ChaosRun.RunAsync(new ChaosGraph(graph.App, graph.StateFile), ChaosOptions.Short, progress, timeout.Token);

        var summary = progress.ToString();
        Assert.Equal(ChaosOptions.Short.Calls, report.Placed);
        Assert.Empty(report.PlacementFailures);
        Assert.True(report.Lost.Count == 0, "lost:\n" + string.Join('\n', report.Lost) + "\n" + summary);
        Assert.Equal(report.Placed, report.Processed);
        Assert.Equal(report.Placed, report.Delivered);
        Assert.Equal(0, report.Duplicates);
        Assert.True(report.Leftovers.None, $"stuck: {report.Leftovers}");
        Assert.True(report.HealthyAtEnd, "not every resource is healthy after the run");
        Assert.Equal([WorkerKill.Name, ReceiverFailures.Name, RedisRestart.Name, PostgresFreeze.Name], report.Faults.Select(f => f.Kind));
        Assert.All(report.Faults, f => Assert.True(f.RecoveredAfter is not null, $"fault {f.Number} ({f.Kind}) never recovered\n{summary}"));
        // The AppHost showed the killed worker as ended in its state file, as the dashboard did, before it was started again.
        var kill = report.Faults.Single(f => f.Kind == WorkerKill.Name);
        Assert.Contains(kill.StateFileWhileDown, KnownResourceStates.TerminalStates);
    }
}
