using System.Collections.Concurrent;
using CallPipeline.Data;
using CallPipeline.Hosting.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CallPipeline.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL and one private Redis for the whole test run, started from the same code the AppHost uses.
/// Each test gets its own database, cloned from a migrated template, so tests never see each other's rows.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private const string TemplateDatabase = "callsdb_template";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    private readonly string _root = Path.Combine(Path.GetTempPath(), "callpipeline-tests", Guid.NewGuid().ToString("N")[..12]);
    private readonly ConcurrentQueue<string> _serverOutput = new();
    private readonly SemaphoreSlim _createDatabase = new(1, 1);
    private PostgresInstance? _postgres;
    private RedisInstance? _redis;

    public string PostgresServerConnectionString => Postgres.ConnectionString;

    public string RedisConnectionString => Redis.ConnectionString;

    private PostgresInstance Postgres => _postgres ?? throw new InvalidOperationException("The fixture has not started.");

    private RedisInstance Redis => _redis ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        _postgres = new PostgresInstance(Path.Combine(_root, "postgres"), PortAllocator.GetFreePort(), SecretGenerator.Generate(), ephemeral: true, Collect);
        _redis = new RedisInstance(Path.Combine(_root, "redis"), PortAllocator.GetFreePort(), SecretGenerator.Generate(special: false), ephemeral: true, Collect);

        await Task.WhenAll(_postgres.StartAsync(timeout.Token), _redis.StartAsync(timeout.Token));
        await WaitUntilAsync("postgres", _postgres.IsHealthyAsync, timeout.Token);
        await WaitUntilAsync("redis", _redis.IsHealthyAsync, timeout.Token);

        await _postgres.EnsureDatabaseAsync(TemplateDatabase, timeout.Token);
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>()
            .UseNpgsql(DatabaseConnectionString(TemplateDatabase) + ";Pooling=false");
        options.UseCallPipelineConventions();
        await using var db = new CallPipelineDbContext(options.Options);
        await db.Database.MigrateAsync(timeout.Token);
    }

    /// <summary>A new, migrated database of its own; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N")[..16];
        // CREATE DATABASE ... TEMPLATE fails while another session uses the template; clone one at a time.
        await _createDatabase.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Postgres.EnsureDatabaseAsync(name, timeout.Token, template: TemplateDatabase);
        }
        finally
        {
            _createDatabase.Release();
        }
        // Every test database gets pools in several hosts; idle connections close within seconds once a test is done,
        // so a whole run stays far below the server's max_connections.
        return DatabaseConnectionString(name) + ";Connection Idle Lifetime=5;Connection Pruning Interval=1";
    }

    /// <summary>Stops redis-server, as an outage would. Data is not kept.</summary>
    public Task StopRedisAsync() => Redis.StopAsync();

    /// <summary>Starts redis-server again on the same port with the same password.</summary>
    public async Task StartRedisAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        await Redis.StartAsync(timeout.Token);
        await WaitUntilAsync("redis", Redis.IsHealthyAsync, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private string DatabaseConnectionString(string database) => $"{PostgresServerConnectionString};Database={database}";

    private void Collect(string line, bool isError)
    {
        _serverOutput.Enqueue(line);
        while (_serverOutput.Count > 200 && _serverOutput.TryDequeue(out _))
        {
        }
    }

    private async Task WaitUntilAsync(string server, Func<CancellationToken, Task<bool>> isHealthy, CancellationToken cancellationToken)
    {
        while (!await isHealthy(cancellationToken))
        {
            if (cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{server} did not become healthy. Its last output:\n{string.Join('\n', _serverOutput)}");
            }
            await Task.Delay(200, CancellationToken.None);
        }
    }
}
