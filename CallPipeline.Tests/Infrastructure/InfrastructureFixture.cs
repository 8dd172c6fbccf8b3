using System.Collections.Concurrent;
using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;
using CallPipeline.Data;
using CallPipeline.Hosting.LocalServers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CallPipeline.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL and one private Redis for the whole test run: the AppHost's own local-server resources,
/// run by Aspire's orchestrator in a small app of their own. Each test gets its own database, cloned from a migrated
/// template, so tests never see each other's rows.
/// </summary>
public sealed class InfrastructureFixture : IAsyncLifetime
{
    private const string TemplateDatabase = "callsdb_template";
    private const string Postgres = "postgres";
    private const string Redis = "cache";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(3);

    private readonly ServerDataDirectory _data = ServerDataDirectory.For(null);
    private readonly SemaphoreSlim _createDatabase = new(1, 1);
    private DistributedApplication? _app;
    private string? _postgresConnectionString;
    private string? _redisConnectionString;

    public string PostgresServerConnectionString => _postgresConnectionString ?? throw new InvalidOperationException("The fixture has not started.");

    public string RedisConnectionString => _redisConnectionString ?? throw new InvalidOperationException("The fixture has not started.");

    private DistributedApplication App => _app ?? throw new InvalidOperationException("The fixture has not started.");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddLocalPostgres(Postgres, _data);
        builder.AddLocalRedis(Redis, _data);
        _app = builder.Build();
        await _app.StartAsync(timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(Postgres, timeout.Token);
        await _app.ResourceNotifications.WaitForResourceHealthyAsync(Redis, timeout.Token);
        _postgresConnectionString = await _app.GetConnectionStringAsync(Postgres, timeout.Token);
        _redisConnectionString = await _app.GetConnectionStringAsync(Redis, timeout.Token);

        await CreateDatabaseAsync(TemplateDatabase, template: null, timeout.Token);
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
            await CreateDatabaseAsync(name, TemplateDatabase, timeout.Token);
        }
        finally
        {
            _createDatabase.Release();
        }
        // Every test database gets pools in several hosts; idle connections close within seconds once a test is done,
        // so a whole run stays far below the server's max_connections.
        return DatabaseConnectionString(name) + ";Connection Idle Lifetime=5;Connection Pruning Interval=1";
    }

    /// <summary>Stops redis-server with the dashboard's stop command, as an outage would.</summary>
    public async Task StopRedisAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(Redis, KnownResourceCommands.StopCommand, timeout.Token);
        Assert.True(result.Success, $"stopping {Redis} failed: {result.Message}");
        await App.ResourceNotifications.WaitForResourceAsync(Redis, e => KnownResourceStates.TerminalStates.Contains(e.Snapshot.State?.Text), timeout.Token);
    }

    /// <summary>Starts redis-server again with the dashboard's start command: same address, same password.</summary>
    public async Task StartRedisAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var result = await App.ResourceCommands.ExecuteCommandAsync(Redis, KnownResourceCommands.StartCommand, timeout.Token);
        Assert.True(result.Success, $"starting {Redis} failed: {result.Message}");
        await App.ResourceNotifications.WaitForResourceHealthyAsync(Redis, timeout.Token);
    }

    public async Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }
        _data.RemoveIfTemporary();
    }

    private string DatabaseConnectionString(string database) => $"{PostgresServerConnectionString};Database={database}";

    private async Task CreateDatabaseAsync(string name, string? template, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(DatabaseConnectionString("postgres") + ";Pooling=false");
        await connection.OpenAsync(cancellationToken);
        var templateClause = template is null ? "" : $" TEMPLATE {template}";
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}{templateClause}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
