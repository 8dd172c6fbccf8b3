using CallPipeline.Data;
using CallPipeline.Data.Entities;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using CallPipeline.Hosting.LocalServers;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// PostgreSQL and Redis from the machine's binaries, run by Aspire's orchestrator as the AppHost's own local-server
/// resources, and a migrated database with the demo business for each gateway under test.
/// </summary>
public sealed class PipelineServers : IAsyncDisposable
{
    public const string BusinessNumber = "+97235550100";

    private readonly DistributedApplication _app;
    private readonly ServerDataDirectory _data;

    private PipelineServers(DistributedApplication app, ServerDataDirectory data, string postgres, string redis)
    {
        _app = app;
        _data = data;
        PostgresConnectionString = postgres;
        RedisConnectionString = redis;
    }

    public string PostgresConnectionString { get; }

    public string RedisConnectionString { get; }

    public static async Task<PipelineServers> StartAsync(CancellationToken cancellationToken)
    {
        var data = ServerDataDirectory.For(null);
        var builder = DistributedApplicationTestingBuilder.Create();
        builder.AddLocalPostgres("postgres", data);
        builder.AddLocalRedis("cache", data);
        var app = builder.Build();
        await app.StartAsync(cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("postgres", cancellationToken);
        await app.ResourceNotifications.WaitForResourceHealthyAsync("cache", cancellationToken);
        var postgres = await app.GetConnectionStringAsync("postgres", cancellationToken) ?? throw new InvalidOperationException("Postgres has no connection string.");
        var redis = await app.GetConnectionStringAsync("cache", cancellationToken) ?? throw new InvalidOperationException("Redis has no connection string.");
        return new PipelineServers(app, data, postgres, redis);
    }

    /// <summary>A new database, migrated, with one active business on <see cref="BusinessNumber"/>; its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await using (var connection = new NpgsqlConnection(PostgresConnectionString + ";Pooling=false"))
        {
            await connection.OpenAsync(cancellationToken);
            await using var create = new NpgsqlCommand($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE); CREATE DATABASE \"{name}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
        var database = $"{PostgresConnectionString};Database={name}";
        var options = new DbContextOptionsBuilder<CallPipelineDbContext>().UseNpgsql(database + ";Pooling=false");
        options.UseCallPipelineConventions();
        await using var db = new CallPipelineDbContext(options.Options);
        await db.Database.MigrateAsync(cancellationToken);
        db.Businesses.Add(new Business
        {
            Name = "Benchmark plumbing",
            PhoneE164 = BusinessNumber,
            Region = "IL",
            Language = "he",
            CreatedAt = DateTimeOffset.UtcNow,
            UpdatedAt = DateTimeOffset.UtcNow,
        });
        await db.SaveChangesAsync(cancellationToken);
        return database;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
        _data.RemoveIfTemporary();
    }
}
