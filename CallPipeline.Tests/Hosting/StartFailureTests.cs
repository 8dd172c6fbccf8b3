using CallPipeline.Hosting;
using CallPipeline.Hosting.ApplicationModel;
using CallPipeline.Hosting.Orchestration;
using CallPipeline.Hosting.Testing;

namespace CallPipeline.Tests.Hosting;

[Trait("Category", "Graph")]
public sealed class StartFailureTests
{
    [Fact]
    public async Task A_service_that_fails_to_start_fails_the_start_with_its_last_lines_and_stops_the_others()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.CallPipeline_AppHost>([], null, timeout.Token);
        var voice = builder.Resources.OfType<ProjectResource>().Single(r => r.Name == "voice");
        // Kestrel cannot bind a port this test holds, so the gateway exits during start.
        using var occupied = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        occupied.Start();
        var port = ((System.Net.IPEndPoint)occupied.LocalEndpoint).Port;
        builder.CreateResourceBuilder(voice).WithEnvironment("Kestrel__Endpoints__Http__Url", $"http://127.0.0.1:{port}");
        await using var app = await builder.BuildAsync(timeout.Token);

        var failure = await Assert.ThrowsAsync<ResourceFailedException>(() => app.StartAsync(timeout.Token));
        await app.StopAsync();

        Assert.Equal("voice", failure.ResourceName);
        Assert.Contains(failure.LastLines, line => line.Text.Contains("address already in use", StringComparison.OrdinalIgnoreCase));
        foreach (var name in new[] { "postgres", "cache", "worker" })
        {
            var state = app.ResourceNotifications.GetSnapshot(name)?.State;
            Assert.True(state is not KnownResourceStates.Running and not KnownResourceStates.Starting, $"{name} is still {state}");
        }
    }
}
