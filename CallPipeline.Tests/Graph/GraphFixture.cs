extern alias benchmarks;
extern alias chaos;

using System.Diagnostics;
using Aspire.Hosting;
using benchmarks::CallPipeline.Benchmarks.Measurement;
using chaos::CallPipeline.Chaos.Graph;

namespace CallPipeline.Tests.Graph;

/// <summary>
/// The whole graph, started once for the tests of the <see cref="GraphCollection"/> from the AppHost's real model with
/// Aspire.Hosting.Testing, as the chaos run starts it: with its shorter claim, lease and retry timings (which only make
/// recovery come sooner) and a state file, so the short chaos run can share it. Disposing stops every resource.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    private DistributedApplication? _app;
    private ResourceLogs? _logs;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The graph has not started.");

    /// <summary>The AppHost's <c>--state-file</c>.</summary>
    public string StateFile { get; } = Path.Combine(Path.GetTempPath(), $"callpipeline-graph-state-{Guid.NewGuid():N}.json");

    /// <summary>Every line each resource wrote since the graph started.</summary>
    public ResourceLogs Logs => _logs ?? throw new InvalidOperationException("The graph has not started.");

    public async Task InitializeAsync()
    {
        using var turn = await GraphStartTurn.TakeAsync();
        var elapsed = Stopwatch.StartNew();
        var progress = new List<string>();
        using var timeout = new CancellationTokenSource(GraphStartTurn.StartTimeout);
        var builder = await ChaosGraph.CreateBuilderAsync(StateFile, timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        _logs = ResourceLogs.Collect(_app);
        await _app.StartAsync(timeout.Token);
        progress.Add($"started {elapsed.Elapsed.TotalSeconds:0} s");
        foreach (var resource in GraphResources.LongRunning)
        {
            try
            {
                await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
            }
            catch (OperationCanceledException e) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException(
                    $"'{resource}' was not healthy {GraphStartTurn.StartTimeout.TotalMinutes:0} minutes after the graph began to start " +
                    $"({string.Join(", ", progress)}; load average {MachineInfo.LoadAverage()}). Its last lines:\n" +
                    string.Join('\n', _logs.GetLines(resource).TakeLast(30).Select(l => $"{l.Timestamp:HH:mm:ss.fff} {l.Text}")), e);
            }
            progress.Add($"{resource} healthy {elapsed.Elapsed.TotalSeconds:0} s");
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        File.Delete(StateFile);
    }
}

[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "Graph";
}

/// <summary>The resource names of a local run: a contract of the README and the manifest.</summary>
public static class GraphResources
{
    public static readonly string[] LongRunning = ["postgres", "callsdb", "cache", "voice", "worker", "webhook-receiver", "devdoubles", "console"];
}
