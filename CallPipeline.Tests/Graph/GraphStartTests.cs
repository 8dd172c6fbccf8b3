using CallPipeline.Hosting.Orchestration;
using CallPipeline.Hosting.Testing;
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
    public async Task Every_long_running_resource_becomes_healthy(string resource)
    {
        await graph.App.ResourceNotifications.WaitForResourceHealthyAsync(resource).WaitAsync(Timeout);
    }

    [Fact]
    public async Task The_migrator_runs_to_completion_before_the_services_start()
    {
        var migrator = await graph.App.ResourceNotifications.WaitForResourceAsync("migrator", KnownResourceStates.Finished).WaitAsync(Timeout);
        Assert.Equal(0, migrator.ExitCode);

        var migratorDone = graph.App.ResourceLogs.GetLines("migrator").Last().Timestamp;
        var voiceFirstLine = graph.App.ResourceLogs.GetLines("voice").First().Timestamp;
        Assert.True(voiceFirstLine >= migratorDone, "voice wrote output before the migrator had finished");
    }

    [Theory]
    [InlineData("voice")]
    [InlineData("worker")]
    [InlineData("webhook-receiver")]
    [InlineData("devdoubles")]
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
}
