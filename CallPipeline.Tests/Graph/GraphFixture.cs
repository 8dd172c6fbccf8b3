using CallPipeline.Hosting;
using CallPipeline.Hosting.Orchestration;
using CallPipeline.Hosting.Testing;

namespace CallPipeline.Tests.Graph;

/// <summary>
/// The whole graph, started once for the tests of the <see cref="GraphCollection"/> from the AppHost's real model,
/// the way Aspire.Hosting.Testing does. Disposing stops every process.
/// </summary>
public sealed class GraphFixture : IAsyncLifetime
{
    public static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The graph has not started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CallPipeline_AppHost>([], null, timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        try
        {
            await _app.StartAsync(timeout.Token);
        }
        catch (ResourceFailedException ex)
        {
            throw new InvalidOperationException($"{ex.Message}\n{string.Join('\n', ex.LastLines.Select(l => l.Text))}", ex);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class GraphCollection : ICollectionFixture<GraphFixture>
{
    public const string Name = "Graph";
}
