extern alias chaos;

using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CallPipeline.Hosting.LocalServers;
using chaos::CallPipeline.Chaos.Graph;
using CallPipeline.Tests.Graph;

namespace CallPipeline.Tests.Infrastructure;

/// <summary>
/// The shared Postgres with a Redis of its own, for tests that stop or flush Redis as an outage would: the shared Redis
/// stays up for the classes running beside them. The Redis runs as the AppHost runs it (append-only file), under
/// Aspire's orchestrator, so stop and start are the dashboard's commands.
/// </summary>
public sealed class RedisOutageFixture : InfrastructureFixture
{
    private const string Redis = "cache";

    private readonly ServerDataDirectory _data = ServerDataDirectory.For(null);
    private DistributedApplication? _app;
    private ResourceLogs? _logs;
    private string? _redisConnectionString;

    public override string RedisConnectionString => _redisConnectionString ?? throw new InvalidOperationException("The fixture has not started.");

    private DistributedApplication App => _app ?? throw new InvalidOperationException("The fixture has not started.");

    public override async Task InitializeAsync()
    {
        await base.InitializeAsync();
        using var timeout = new CancellationTokenSource(SharedServers.StartTimeout);
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddLocalRedis(Redis, _data);
        _app = builder.Build();
        _logs = ResourceLogs.Collect(_app);
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(Redis, timeout.Token);
        _redisConnectionString = await _app.GetConnectionStringAsync(Redis, timeout.Token);
    }

    /// <summary>Stops redis-server with the dashboard's stop command, as an outage would.</summary>
    public async Task StopRedisAsync()
    {
        using var timeout = new CancellationTokenSource(SharedServers.StartTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(Redis, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(result.Success, $"stopping {Redis} failed: {result.Message}");
        await App.ResourceNotifications.WaitForResourceAsync(Redis, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    /// <summary>Starts redis-server again with the dashboard's start command: same address, same password.</summary>
    public async Task StartRedisAsync()
    {
        using var timeout = new CancellationTokenSource(SharedServers.StartTimeout);
        try
        {
            await ChaosGraph.StartCommandAsync(App, Redis, timeout.Token);
            await App.ResourceNotifications.WaitForResourceHealthyAsync(Redis, timeout.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or DistributedApplicationException)
        {
            throw new InvalidOperationException($"{ex.Message}\nredis-server's output:\n{RedisOutput()}", ex);
        }
    }

    private string RedisOutput() => string.Join('\n', _logs?.GetLines(Redis).TakeLast(30).Select(l => $"{l.Timestamp:HH:mm:ss.fff} {l.Text}") ?? []);

    public override async Task DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _data.RemoveIfTemporary();
    }
}
