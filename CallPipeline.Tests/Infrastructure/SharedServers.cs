using Aspire.Hosting;
using Aspire.Hosting.Testing;
using CallPipeline.Data;
using CallPipeline.Hosting.LocalServers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CallPipeline.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL and one private Redis for the whole test run: the AppHost's own local-server resources, run
/// by Aspire's orchestrator in a small app of their own, started by the first test class that needs them. They are
/// shared by classes that run in parallel, so nothing here is ever stopped while the run lasts; each test gets its own
/// database (cloned from a migrated template) and its own stream names. Stopped when the test process exits.
/// </summary>
internal sealed class SharedServers
{
    private const string TemplateDatabase = "callsdb_template";
    private const string Postgres = "postgres";
    private const string Redis = "cache";
    private static readonly Lazy<Task<SharedServers>> Started = new(StartAsync);

    private readonly SemaphoreSlim _createDatabase = new(1, 1);

    private SharedServers(DistributedApplication app, ServerDataDirectory data, string postgres, string redis) =>
        (App, Data, PostgresServerConnectionString, RedisConnectionString) = (app, data, postgres, redis);

    public static TimeSpan StartTimeout { get; } = TimeSpan.FromMinutes(3);

    public string PostgresServerConnectionString { get; }

    public string RedisConnectionString { get; }

    private DistributedApplication App { get; }

    private ServerDataDirectory Data { get; }

    public static Task<SharedServers> GetAsync() => Started.Value;

    /// <summary>A new, migrated database of its own; returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync()
    {
        var name = "test_" + Guid.NewGuid().ToString("N")[..16];
        // CREATE DATABASE ... TEMPLATE fails while another session uses the template; clone one at a time.
        await _createDatabase.WaitAsync();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await CreateDatabaseAsync(PostgresServerConnectionString, name, TemplateDatabase, timeout.Token);
        }
        finally
        {
            _createDatabase.Release();
        }
        // Every test database gets pools in several hosts; idle connections close within seconds once a test is done,
        // so a whole run stays far below the server's max_connections.
        return $"{PostgresServerConnectionString};Database={name};Connection Idle Lifetime=5;Connection Pruning Interval=1";
    }

    private static async Task<SharedServers> StartAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        var data = ServerDataDirectory.For(null);
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddLocalPostgres(Postgres, data);
        builder.AddLocalRedis(Redis, data);
        var app = builder.Build();
        await app.StartAsync(timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(Postgres, timeout.Token);
        await app.ResourceNotifications.WaitForResourceHealthyAsync(Redis, timeout.Token);
        var postgres = await app.GetConnectionStringAsync(Postgres, timeout.Token) ?? throw new InvalidOperationException("postgres has no connection string.");
        var redis = await app.GetConnectionStringAsync(Redis, timeout.Token) ?? throw new InvalidOperationException("cache has no connection string.");
        var servers = new SharedServers(app, data, postgres, redis);
        // xunit has no assembly fixture: the servers outlive every class, and go with the process.
        AppDomain.CurrentDomain.ProcessExit += (_, _) => servers.Stop();

        await CreateDatabaseAsync(postgres, TemplateDatabase, template: null, timeout.Token);
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>()
            .UseNpgsql($"{postgres};Database={TemplateDatabase};Pooling=false");
        options.UseCallPipelineConventions();
        await using var db = new CallPipelineDbContext(options.Options);
        await db.Database.MigrateAsync(timeout.Token);
        return servers;
    }

    private void Stop()
    {
        NpgsqlConnection.ClearAllPools();
        App.StopAsync().Wait(TimeSpan.FromSeconds(20));
        App.DisposeAsync().AsTask().Wait(TimeSpan.FromSeconds(10));
        Data.RemoveIfTemporary();
    }

    private static async Task CreateDatabaseAsync(string server, string name, string? template, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection($"{server};Database=postgres;Pooling=false");
        await connection.OpenAsync(cancellationToken);
        var templateClause = template is null ? "" : $" TEMPLATE {template}";
        await using var create = new NpgsqlCommand($"CREATE DATABASE {name}{templateClause}", connection);
        await create.ExecuteNonQueryAsync(cancellationToken);
    }
}
