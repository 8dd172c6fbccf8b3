using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Worker.Support;
using StackExchange.Redis;

namespace CallPipeline.Tests.Worker;

/// <summary>
/// Postgres is the source of truth: when Redis loses everything (restart without persistence, failover, FLUSHALL), the
/// calls it carried are queued again from Postgres through the outbox, and each is processed exactly once.
/// </summary>
[Collection(RedisOutageCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class RedisDataLossTests(RedisOutageFixture infrastructure)
{
    [Fact]
    public async Task After_flushall_every_call_queued_or_in_flight_is_processed_exactly_once_within_a_minute()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.TranscriptionDelay = TimeSpan.FromSeconds(3);
        var business = await env.AddBusinessAsync();
        await using var relay = await env.StartRelayAsync();
        await using var worker = WorkerHost.Start(env, "worker-a", new Dictionary<string, string> { ["Worker:Concurrency"] = "2" });
        await worker.WaitForStartupRecoveryAsync();

        var calls = new List<CallLog>();
        for (var i = 0; i < 6; i++)
        {
            var call = await env.AddRecordedCallAsync(business.Id);
            await env.AddOutboxJobAsync(call);
            calls.Add(call);
        }
        // Two jobs in flight (both slots transcribing), four published and waiting in the stream.
        await Eventually.ReturnsAsync(() => Task.FromResult(env.OpenAi.Transcriptions.Count), count => count == 2, "two jobs are transcribing");
        await Eventually.ReturnsAsync(() => env.Redis.GetDatabase().StreamLengthAsync(env.Stream), length => length == 6, "every job is published");

        await FlushAllAsync();
        var flushedAt = DateTime.UtcNow;

        foreach (var call in calls)
        {
            await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);
        }
        Assert.True(DateTime.UtcNow - flushedAt < TimeSpan.FromMinutes(1), "every call was processed within a minute of the loss");
        foreach (var call in calls)
        {
            var saved = await env.LoadCallAsync(call.CallSid);
            Assert.Equal(1, saved.ProcessingAttempts);
            Assert.Single(saved.WebhookDeliveries);
        }
        // Exactly once: one transcription per recording, one save per call.
        Assert.Equal(
            calls.Select(c => $"{c.RecordingSid}.wav").Order(),
            env.OpenAi.Transcriptions.Where(t => t.Model == "gpt-4o-transcribe").Select(t => t.FileName).Order());
        Assert.Equal(6, worker.Logs.Lines.Count(l => l.StartsWith("Final transcript saved for ", StringComparison.Ordinal)));
        // The two in flight were their live worker's to finish; the four waiting came back from Postgres through the outbox.
        Assert.Contains(worker.Logs.Lines, l => l.StartsWith($"Group {WorkerTestEnvironment.Group} of stream {env.Stream} did not exist and was created", StringComparison.Ordinal));
        Assert.Contains("Recovery after Redis lost its data queued 4 calls again through the outbox", worker.Logs.Lines);
        var requeued = (await env.OutboxAsync()).Where(m => m.MessageKey.Contains(":requeue:", StringComparison.Ordinal)).ToList();
        Assert.Equal(4, requeued.Count);
        Assert.All(requeued, m => Assert.NotNull(m.PublishedAt));
    }

    private async Task FlushAllAsync()
    {
        var options = ConfigurationOptions.Parse(infrastructure.RedisConnectionString);
        options.AllowAdmin = true;
        await using var admin = await ConnectionMultiplexer.ConnectAsync(options);
        await admin.GetServers().Single().FlushAllDatabasesAsync();
    }
}
