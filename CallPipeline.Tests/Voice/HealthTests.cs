using System.Diagnostics;
using System.Net;
using CallPipeline.RecordingJobs;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// The gateway's /health: it answers within its bound when Postgres or Redis hangs, and it does not call the pipeline
/// healthy while recording jobs wait longer than <c>Voice:MaxQueueAge</c> for a worker.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class HealthTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    /// <summary>The bound probes allow; each check has 1.5 s by default (HealthChecks:Timeout), far below Npgsql's own 15 s.</summary>
    private static readonly TimeSpan AnswerBound = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The checks' deadline in the hanging-dependency tests: the default's 0.5 s of room under the bound was not enough
    /// on a busy 2-core CI run (2.2 s); with 1.5 s of room the test still fails if the deadline does not hold.
    /// </summary>
    private const string CheckDeadline = "00:00:00.500";

    [Theory]
    [InlineData("postgres")]
    [InlineData("redis")]
    public async Task Health_answers_unhealthy_within_the_bound_when_a_dependency_accepts_and_never_answers(string dependency)
    {
        using var hanging = new SilentTcpServer();
        // Short connect timeouts, far above the bound: with the defaults, the background services' connections to the
        // hanging Postgres held the host's stop for 26 s, and the Redis client's three connect attempts its start for 15 s.
        await using var voice = dependency == "postgres"
            ? await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["HealthChecks:Timeout"] = CheckDeadline },
                database: $"Host=127.0.0.1;Port={hanging.Port};Database=callsdb;Username=voice;Password=unused;Timeout=3")
            : await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string>
            {
                ["HealthChecks:Timeout"] = CheckDeadline,
                ["ConnectionStrings:cache"] = $"127.0.0.1:{hanging.Port},abortConnect=false,connectTimeout=1000",
            });

        var (status, elapsed) = await TimedHealthAsync(voice);

        Assert.True(status == HttpStatusCode.ServiceUnavailable, string.Join("\n", voice.Logs.Errors.Select(e => e.Message + e.Exception)));
        Assert.True(elapsed < AnswerBound, $"/health took {elapsed.TotalSeconds:0.0} s");
        Assert.True(hanging.Accepted > 0, $"the checks did reach the hanging {dependency}");
    }

    [Fact]
    public async Task Jobs_waiting_for_a_worker_longer_than_the_bound_make_health_degraded_with_the_reason()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:MaxQueueAge"] = "00:00:01", ["Voice:QueueMeasureInterval"] = "00:00:00.200" });
        var healthy = await QueueEntryAsync(voice);
        Assert.Equal(HealthStatus.Healthy, healthy.Status);

        // A job the relay publishes and no worker ever reads.
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            db.OutboxMessages.Add(new RecordingJob(VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid()).ToOutboxMessage("RE-waiting", DateTimeOffset.UtcNow, trace: null));
            await db.SaveChangesAsync();
        }
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        await Eventually.ReturnsAsync(() => redis.GetDatabase().StreamLengthAsync(voice.Stream), length => length == 1, "the relay published the job");

        // On a slow machine the job may first wait in the outbox past the bound (degraded for that reason); once it is in
        // the stream with no reader, the reason names the stream.
        var degraded = await Eventually.ReturnsAsync(() => QueueEntryAsync(voice),
            e => e.Status == HealthStatus.Degraded && (e.Description?.Contains(voice.Stream, StringComparison.Ordinal) ?? false), "the queue check is degraded for the stream");
        Assert.Contains("waited", degraded.Description);
        Assert.Contains("no worker is reading", degraded.Description);
        using var response = await voice.Client.GetAsync("/health");
        Assert.Equal("Degraded", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Jobs_the_relay_cannot_publish_count_as_waiting_too()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:MaxQueueAge"] = "00:00:01", ["Voice:QueueMeasureInterval"] = "00:00:00.200" });
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            // A row without a job: the relay records why and leaves it unpublished, so no worker will ever get it.
            var stuck = new RecordingJob(VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid()).ToOutboxMessage("RE-unpublished", DateTimeOffset.UtcNow.AddMinutes(-5), trace: null);
            stuck.Payload = "null";
            db.OutboxMessages.Add(stuck);
            await db.SaveChangesAsync();
        }

        // On a busy machine the check may first be degraded because the queues were measured too long ago; the outbox
        // reason is the one this test waits for.
        var degraded = await Eventually.ReturnsAsync(() => QueueEntryAsync(voice),
            e => e.Status == HealthStatus.Degraded && (e.Description?.Contains("outbox", StringComparison.Ordinal) ?? false), "the queue check is degraded for the outbox");

        Assert.Contains("the relay cannot publish", degraded.Description);
    }

    private static async Task<HealthReportEntry> QueueEntryAsync(VoiceHost voice)
    {
        var report = await voice.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        return report.Entries["recording-queue-age"];
    }

    /// <summary>
    /// The second of two requests: the first also pays for compiling and creating the health checks, while what matters is
    /// the probe of a running service whose dependency hangs.
    /// </summary>
    private static async Task<(HttpStatusCode Status, TimeSpan Elapsed)> TimedHealthAsync(VoiceHost voice)
    {
        using (await voice.Client.GetAsync("/health"))
        {
        }
        var clock = Stopwatch.StartNew();
        using var response = await voice.Client.GetAsync("/health");
        return (response.StatusCode, clock.Elapsed);
    }
}
