extern alias chaos;

using Aspire.Hosting;
using chaos::CallPipeline.Chaos.Graph;

namespace CallPipeline.Tests.Graph;

/// <summary>
/// The whole graph, started once for the tests of the <see cref="GraphCollection"/> from the AppHost's real model with
/// Aspire.Hosting.Testing, as the chaos run starts it: with its shorter claim, lease and retry timings (which only make
/// recovery come sooner) and a state file, so the short chaos run can share it. Disposing stops every resource.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private DistributedApplication? _app;
    private ResourceLogs? _logs;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The graph has not started.");

    /// <summary>The AppHost's <c>--state-file</c>.</summary>
    public string StateFile { get; } = Path.Combine(Path.GetTempPath(), $"callpipeline-graph-state-{Guid.NewGuid():N}.json");

    /// <summary>Every line each resource wrote since the graph started.</summary>
    public ResourceLogs Logs => _logs ?? throw new InvalidOperationException("The graph has not started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await ChaosGraph.CreateBuilderAsync(StateFile, timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        _logs = ResourceLogs.Collect(_app);
        await _app.StartAsync(timeout.Token);
        foreach (var resource in GraphResources.LongRunning)
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
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
