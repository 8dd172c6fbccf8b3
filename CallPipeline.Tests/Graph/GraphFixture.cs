using Aspire.Hosting;
using Aspire.Hosting.Testing;

namespace CallPipeline.Tests.Graph;

/// <summary>
/// The whole graph, started once for the tests of the <see cref="GraphCollection"/> from the AppHost's real model with
/// Aspire.Hosting.Testing. Disposing stops every resource.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private DistributedApplication? _app;
    private ResourceLogs? _logs;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The graph has not started.");

    /// <summary>Every line each resource wrote since the graph started.</summary>
    public ResourceLogs Logs => _logs ?? throw new InvalidOperationException("The graph has not started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CallPipeline_AppHost>(timeout.Token);
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
    public static readonly string[] LongRunning = ["postgres", "callsdb", "cache", "voice", "worker", "webhook-receiver", "devdoubles"];
}
