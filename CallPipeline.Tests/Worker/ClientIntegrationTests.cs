extern alias worker;

using System.Diagnostics;
using CallPipeline.Data;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Worker.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Npgsql.EntityFrameworkCore.PostgreSQL;
using StackExchange.Redis;

namespace CallPipeline.Tests.Worker;

/// <summary>The services stand on Aspire's Postgres and Redis client integrations, on real Postgres and Redis.</summary>
[Trait("Category", "Infrastructure")]
public sealed class ClientIntegrationTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    /// <summary>The source Aspire.StackExchange.Redis traces commands with (its bundled OpenTelemetry instrumentation).</summary>
    private const string RedisInstrumentationSource = "OpenTelemetry.Instrumentation.StackExchangeRedis";

    [Fact]
    public async Task Aspire_configuration_sections_reach_the_postgres_and_redis_clients()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        await using var worker = WorkerHost.Start(env, "worker-config", new Dictionary<string, string>
        {
            ["Aspire:Npgsql:EntityFrameworkCore:PostgreSQL:CommandTimeout"] = "17",
            ["Aspire:StackExchange:Redis:ConfigurationOptions:ClientName"] = "callpipeline-config-test",
            ["Aspire:StackExchange:Redis:ConfigurationOptions:AbortOnConnectFail"] = "true",
        });

        using var scope = worker.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        Assert.Equal(17, db.Database.GetCommandTimeout());
        Assert.IsType<NpgsqlRetryingExecutionStrategy>(db.Database.CreateExecutionStrategy());
        Assert.Equal("call_logs", db.Model.FindEntityType(typeof(CallPipeline.Data.Entities.CallLog))!.GetTableName());

        var redis = worker.Services.GetRequiredService<IConnectionMultiplexer>();
        Assert.Equal("callpipeline-config-test", redis.ClientName);
        // The services keep retrying in the background whatever the configuration says.
        Assert.Contains("abortConnect=False", redis.Configuration, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_worker_health_covers_postgres_redis_and_its_queue_as_readiness_checks()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        await using var worker = WorkerHost.Start(env, "worker-health");

        var registrations = worker.Services.GetRequiredService<IOptions<HealthCheckServiceOptions>>().Value.Registrations;
        var ready = registrations.Where(r => r.Tags.Contains("ready")).Select(r => r.Name).ToHashSet();
        Assert.Superset(new HashSet<string> { "CallPipelineDbContext", "StackExchange.Redis", "recording-queue" }, ready);
        Assert.Equal(["self"], registrations.Where(r => r.Tags.Contains("live")).Select(r => r.Name));

        var report = await Eventually.ReturnsAsync(
            () => worker.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync(),
            r => r.Status == HealthStatus.Healthy,
            "every check is healthy");
        Assert.Equal(HealthStatus.Healthy, report.Entries["CallPipelineDbContext"].Status);
        Assert.Equal(HealthStatus.Healthy, report.Entries["StackExchange.Redis"].Status);
    }

    [Fact]
    public async Task Redis_commands_are_traced_by_the_aspire_integration_on_stackexchange_redis_3()
    {
        Assert.Equal(3, typeof(IConnectionMultiplexer).Assembly.GetName().Version!.Major);
        using var spans = new RecordedActivities(RedisInstrumentationSource);
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        await using var worker = WorkerHost.Start(env, "worker-redis-tracing");

        // The consumer polls the stream; the instrumentation turns each profiled command into a span.
        var poll = await spans.WaitForAsync(s => s.DisplayName == "XREADGROUP", "a traced XREADGROUP");
        Assert.Equal(ActivityKind.Client, poll.Kind);
        Assert.Equal("redis", poll.GetTagItem("db.system") ?? poll.GetTagItem("db.system.name"));
    }
}
