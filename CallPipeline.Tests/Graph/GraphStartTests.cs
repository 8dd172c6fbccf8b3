using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace CallPipeline.Tests.Graph;

[Collection(GraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class GraphStartTests(GraphFixture graph)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Theory]
    [InlineData("postgres")]
    [InlineData("callsdb")]
    [InlineData("cache")]
    [InlineData("voice")]
    [InlineData("worker")]
    [InlineData("webhook-receiver")]
    [InlineData("devdoubles")]
    [InlineData("console")]
    public async Task Every_long_running_resource_becomes_healthy(string resource)
    {
        var healthy = await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(Timeout);

        Assert.Equal(KnownResourceStates.Running, healthy.Snapshot.State?.Text);
        Assert.Equal(HealthStatus.Healthy, healthy.Snapshot.HealthStatus);
        Assert.NotEmpty(healthy.Snapshot.HealthReports);
    }

    [Fact]
    public async Task The_migrator_runs_to_completion_before_the_services_start()
    {
        var migrator = await graph.App.ResourceNotifications.WaitForResourceAsync("migrator", e => e.Snapshot.State?.Text == KnownResourceStates.Finished).WaitAsync(Timeout);
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync("voice").WaitAsync(Timeout);

        // Seeding the demo business is the migrator's last step before it exits (another test runs it again later).
        var firstRunEnd = graph.Logs.GetLines("migrator").Where(l => l.Text.Contains("Seeded demo business", StringComparison.Ordinal)).Min(l => l.Timestamp);
        Assert.Equal(0, migrator.Snapshot.ExitCode);
        Assert.True(ProcessStarts("voice")[0] >= firstRunEnd, $"voice started at {ProcessStarts("voice")[0]:O}, before the migrator's last line at {firstRunEnd:O}");
    }

    [Theory]
    [InlineData("voice")]
    [InlineData("worker")]
    [InlineData("webhook-receiver")]
    [InlineData("devdoubles")]
    [InlineData("console")]
    public async Task Web_services_answer_health_and_alive(string resource)
    {
        using var http = graph.App.CreateHttpClient(resource);

        using var health = await http.GetAsync("/health").WaitAsync(Timeout);
        using var alive = await http.GetAsync("/alive").WaitAsync(Timeout);

        Assert.Equal(System.Net.HttpStatusCode.OK, health.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, alive.StatusCode);
    }

    [Fact]
    public async Task The_migrator_seeds_the_demo_business_in_development()
    {
        await using var connection = new NpgsqlConnection(await graph.App.GetConnectionStringAsync("callsdb"));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT name, language, inbound_webhook_url FROM businesses WHERE phone_e164 = '+97235550100'", connection);
        await using var reader = await command.ExecuteReaderAsync();

        Assert.True(await reader.ReadAsync(), "no demo business");
        Assert.Equal("he", reader.GetString(1));
        Assert.StartsWith(graph.App.GetEndpoint("webhook-receiver").ToString().TrimEnd('/'), reader.GetString(2));
    }

    /// <summary>When the orchestrator started the resource's process, each time, in order.</summary>
    private List<DateTimeOffset> ProcessStarts(string resource) =>
        [.. graph.Logs.GetLines(resource).Where(l => l.Text.StartsWith("[sys] Starting process", StringComparison.Ordinal)).Select(l => l.Timestamp).Order()];
}
