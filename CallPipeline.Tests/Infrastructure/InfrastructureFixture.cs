namespace CallPipeline.Tests.Infrastructure;

/// <summary>
/// Real Postgres and Redis for a test class (<c>IClassFixture&lt;InfrastructureFixture&gt;</c>): the run's
/// <see cref="SharedServers"/>, so classes run in parallel on one pair of servers. A class that stops or flushes Redis
/// takes a <see cref="RedisOutageFixture"/> instead.
/// </summary>
public class InfrastructureFixture : IAsyncLifetime
{
    private SharedServers? _servers;

    public string PostgresServerConnectionString => Servers.PostgresServerConnectionString;

    public virtual string RedisConnectionString => Servers.RedisConnectionString;

    private SharedServers Servers => _servers ?? throw new InvalidOperationException("The fixture has not started.");

    public virtual async Task InitializeAsync() => _servers = await SharedServers.GetAsync().WaitAsync(SharedServers.StartTimeout);

    /// <summary>A new, migrated database of its own; returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync() => Servers.CreateDatabaseAsync();

    public virtual Task DisposeAsync() => Task.CompletedTask;
}
