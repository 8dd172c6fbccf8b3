extern alias voice;

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Data.DeadLetters;
using CallPipeline.Data.Entities;
using CallPipeline.RecordingJobs;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;
using QueueMonitor = voice::CallPipeline.Voice.QueueHealth.QueueMonitor;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// The queue gauges on the gateway's meter (stream length, pending, undelivered, oldest waiting age, consumers, due and
/// overdue deliveries, open dead letters) and the health checks on them, all read from the timer's last measurement.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class QueueGaugeTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task The_gauges_report_the_stream_the_deliveries_and_the_dead_letters_and_an_overdue_delivery_degrades_health()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string>
        {
            ["Voice:QueueMeasureInterval"] = "00:00:00.200",
            ["Voice:MaxDeliveryAge"] = "00:01:00",
        });
        using var gauges = new MeterMeasurements(voice.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        var db = redis.GetDatabase();
        var first = await db.StreamAddAsync(voice.Stream, RecordingJobStream.CallSidField, VoiceTestData.NewCallSid());
        await db.StreamAddAsync(voice.Stream, RecordingJobStream.CallSidField, VoiceTestData.NewCallSid());
        await db.StreamAddAsync(voice.Stream, RecordingJobStream.CallSidField, VoiceTestData.NewCallSid());
        await db.StreamCreateConsumerGroupAsync(voice.Stream, RecordingJobStream.DefaultConsumerGroup, StreamPosition.Beginning);
        await db.StreamReadGroupAsync(voice.Stream, RecordingJobStream.DefaultConsumerGroup, "worker-x", StreamPosition.NewMessages, 1);

        var business = await WebhookTestData.AddBusinessAsync(voice.Database, genericUrl: "https://hooks.example.com/calls");
        await AddDeliveryDueAtAsync(voice.Database, business.Id, DateTimeOffset.UtcNow.AddMinutes(-10));
        await AddDeliveryDueAtAsync(voice.Database, business.Id, DateTimeOffset.UtcNow.AddSeconds(-5));
        await AddDeliveryDueAtAsync(voice.Database, business.Id, DateTimeOffset.UtcNow.AddHours(1));
        var gaveUp = await AddDeliveryDueAtAsync(voice.Database, business.Id, DateTimeOffset.UtcNow.AddHours(1));
        await using (var calls = VoiceTestData.OpenDb(voice.Database))
        {
            await DeadLetterWriter.RecordDeliveryAsync(calls, gaveUp, "gave up after 8 attempts; last: HTTP 500", 8, DateTimeOffset.UtcNow.AddHours(-27), DateTimeOffset.UtcNow, CancellationToken.None);
        }

        var monitor = voice.Services.GetRequiredService<QueueMonitor>();
        await Eventually.ReturnsAsync(() => Task.FromResult(monitor.Latest), s => s?.Database?.DeliveriesDue == 2 && s.Database.OpenDeadLetters[DeadLetterKind.WebhookDelivery] == 1 && s.Stream?.Pending == 1,
            "the monitor measured the queues as they are now");
        gauges.Collect();
        var health = await voice.Services.GetRequiredService<HealthCheckService>().CheckHealthAsync();
        using var response = await voice.Client.GetAsync("/health");

        Assert.Equal(3, Last(gauges, "callpipeline.recording_jobs.stream.length"));
        Assert.Equal(1, Last(gauges, "callpipeline.recording_jobs.pending"));
        Assert.Equal(2, Last(gauges, "callpipeline.recording_jobs.undelivered"));
        Assert.Equal(1, Last(gauges, "callpipeline.recording_jobs.consumers"));
        var oldestAge = Last(gauges, "callpipeline.recording_jobs.oldest_waiting.age");
        Assert.InRange(oldestAge, 0, (DateTimeOffset.UtcNow - DateTimeOffset.FromUnixTimeMilliseconds(long.Parse(first.ToString().Split('-')[0]))).TotalSeconds + 1);
        Assert.Equal(0, Last(gauges, "callpipeline.recording_jobs.outbox.unpublished"));
        Assert.Equal(2, Last(gauges, "callpipeline.webhooks.deliveries.due"));
        Assert.Equal(1, Last(gauges, "callpipeline.webhooks.deliveries.overdue"));
        Assert.InRange(Last(gauges, "callpipeline.webhooks.deliveries.oldest_due.age"), 590, 900);
        var deadLetters = gauges.Of("callpipeline.dead_letters.open");
        Assert.Equal(1, deadLetters.Last(m => m.Tags["kind"] == "webhook_delivery").Value);
        Assert.Equal(0, deadLetters.Last(m => m.Tags["kind"] == "recording_job").Value);

        var deliveries = health.Entries["webhook-delivery-age"];
        Assert.Equal(HealthStatus.Degraded, deliveries.Status);
        Assert.Contains("1 webhook delivery(ies) due for longer than 60 s", deliveries.Description);
        Assert.Equal(HealthStatus.Healthy, health.Entries["recording-queue-age"].Status);
        Assert.Equal("Degraded", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task A_gauge_reads_the_last_measurement_and_never_the_servers_themselves()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:QueueMeasureInterval"] = "01:00:00" });
        using var gauges = new MeterMeasurements(voice.Services.GetRequiredService<System.Diagnostics.Metrics.IMeterFactory>());
        var monitor = voice.Services.GetRequiredService<QueueMonitor>();
        await Eventually.ReturnsAsync(() => Task.FromResult(monitor.Latest), s => s is not null, "the first measurement at start");
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        await redis.GetDatabase().StreamAddAsync(voice.Stream, RecordingJobStream.CallSidField, VoiceTestData.NewCallSid());

        gauges.Collect();
        var beforeMeasuring = Last(gauges, "callpipeline.recording_jobs.stream.length");
        await monitor.MeasureAsync(CancellationToken.None);
        gauges.Collect();

        Assert.Equal(0, beforeMeasuring);
        Assert.Equal(1, Last(gauges, "callpipeline.recording_jobs.stream.length"));
        Assert.Equal(1, Last(gauges, "callpipeline.recording_jobs.undelivered"));
        Assert.Equal(0, Last(gauges, "callpipeline.recording_jobs.consumers"));
    }

    [Fact]
    public async Task The_queues_endpoint_shows_the_last_measurement_with_a_waiting_job_and_ages_in_seconds()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Voice:QueueMeasureInterval"] = "00:00:00.200" });
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        var added = DateTimeOffset.UtcNow;
        await redis.GetDatabase().StreamAddAsync(voice.Stream, RecordingJobStream.CallSidField, VoiceTestData.NewCallSid());
        var business = await WebhookTestData.AddBusinessAsync(voice.Database, genericUrl: "https://hooks.example.com/calls");
        await AddDeliveryDueAtAsync(voice.Database, business.Id, DateTimeOffset.UtcNow.AddMinutes(-10));
        using var unauthorized = await voice.Client.GetAsync("/api/queues");

        var queues = await Eventually.ReturnsAsync(
            () => voice.Operator.GetFromJsonAsync<JsonElement>("/api/queues"),
            q => q.GetProperty("recordingJobs").ValueKind == JsonValueKind.Object && q.GetProperty("recordingJobs").GetProperty("length").GetInt64() == 1
                && q.GetProperty("webhookDeliveries").ValueKind == JsonValueKind.Object && q.GetProperty("webhookDeliveries").GetProperty("due").GetInt64() == 1,
            "the queues answer shows the waiting job and the due delivery");

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);
        Assert.InRange(queues.GetProperty("takenAt").GetDateTimeOffset(), added.AddSeconds(-1), DateTimeOffset.UtcNow);
        Assert.InRange(queues.GetProperty("ageSeconds").GetDouble(), 0, 30);
        var jobs = queues.GetProperty("recordingJobs");
        Assert.Equal(voice.Stream, jobs.GetProperty("stream").GetString());
        Assert.Equal(0, jobs.GetProperty("pending").GetInt64());
        Assert.Equal(1, jobs.GetProperty("undelivered").GetInt64());
        Assert.Equal(0, jobs.GetProperty("activeConsumers").GetInt32());
        Assert.InRange(jobs.GetProperty("oldestWaitingAgeSeconds").GetDouble(), 0, (DateTimeOffset.UtcNow - added).TotalSeconds + 1);
        Assert.Equal(0, queues.GetProperty("outbox").GetProperty("unpublished").GetInt64());
        Assert.Equal(JsonValueKind.Null, queues.GetProperty("outbox").GetProperty("oldestUnpublishedAgeSeconds").ValueKind);
        var webhooks = queues.GetProperty("webhookDeliveries");
        Assert.Equal(1, webhooks.GetProperty("overdue").GetInt64());
        Assert.InRange(webhooks.GetProperty("oldestDueAgeSeconds").GetDouble(), 590, 900);
        Assert.Equal(0, queues.GetProperty("openDeadLetters").GetProperty("recording_job").GetInt64());
        Assert.Equal(0, queues.GetProperty("openDeadLetters").GetProperty("webhook_delivery").GetInt64());
    }

    private static double Last(MeterMeasurements gauges, string instrument) => gauges.Of(instrument).Last().Value;

    /// <summary>A call.completed delivery, pending, next attempt at <paramref name="dueAt"/>; returns its id.</summary>
    private static async Task<long> AddDeliveryDueAtAsync(string database, int businessId, DateTimeOffset dueAt)
    {
        var delivery = (await WebhookTestData.AddCallWithDeliveryAsync(database, WebhookTestData.NewProcessedCall(businessId)))!;
        await using var db = WebhookTestData.OpenDb(database);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(set => set.SetProperty(d => d.NextAttemptAt, dueAt));
        return delivery.Id;
    }
}
