using System.Net;
using CallPipeline.Data.Entities;
using CallPipeline.RecordingJobs;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Webhooks;
using StackExchange.Redis;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// <c>POST /twilio/recording/status</c>: the recording is saved, <c>completed</c> writes one job to the outbox in the same
/// transaction, and the relay gets it onto the Redis stream even when Redis was down at that moment.
/// </summary>
[Collection(RedisOutageCollection.Name)]
[Trait("Category", "Infrastructure")]
public sealed class RecordingCallbackTests(RedisOutageFixture infrastructure)
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";

    [Fact]
    public async Task A_completed_recording_is_saved_and_its_job_reaches_the_stream_once_despite_duplicates()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        using var inProgress = await voice.RecordingStatusAsync(callSid, recordingSid, "in-progress");
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => voice.RecordingStatusAsync(callSid, recordingSid, "completed")));
        using var late = await voice.RecordingStatusAsync(callSid, recordingSid, "in-progress");

        Assert.All(responses.Append(inProgress).Append(late), r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(recordingSid, call!.RecordingSid);
        Assert.Equal("completed", call.RecordingStatus);
        Assert.Equal($"https://api.twilio.com/2010-04-01/Accounts/{VoiceTestData.AccountSid}/Recordings/{recordingSid}", call.RecordingUrl);
        Assert.Equal(42, call.RecordingDurationSeconds);
        Assert.Equal(2, call.RecordingChannels);
        Assert.Equal(PipelineStatus.Recorded, call.PipelineStatus);

        var job = Assert.Single(await VoiceTestData.OutboxAsync(voice.Database));
        Assert.Equal((RecordingJob.Topic, recordingSid), (job.Topic, job.MessageKey));
        var entry = Assert.Single(await WaitForStreamAsync(voice, 1));
        Assert.Equal(callSid, (string?)entry[RecordingJobStream.CallSidField]);
        Assert.Equal(recordingSid, (string?)entry[RecordingJobStream.RecordingSidField]);
        Assert.Equal(job.Id.ToString(), (string?)entry[RecordingJobStream.OutboxIdField]);
        await Eventually.ReturnsAsync(() => VoiceTestData.OutboxAsync(voice.Database), rows => rows.Single().PublishedAt is not null, "the job is marked published");
        Assert.True(voice.Logs.Count($"Recording sid saved for {callSid} from callback: {recordingSid}") >= 1);
        Assert.Equal(1, voice.Logs.Count($"Recording job enqueued for {callSid}: {recordingSid}"));
        await Task.Delay(1000);
        Assert.Single(await StreamEntriesAsync(voice));
    }

    [Fact]
    public async Task Publishing_a_job_nudges_idle_workers_on_the_channel_they_listen_on()
    {
        var channel = $"nudge-{Guid.NewGuid():N}";
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Worker:NudgeChannel"] = channel });
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        var nudged = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, entryId) => nudged.TrySetResult(entryId.ToString()));

        using var response = await voice.RecordingStatusAsync(callSid, recordingSid, "completed");

        var entry = Assert.Single(await WaitForStreamAsync(voice, 1));
        Assert.Equal(entry.Id.ToString(), await nudged.Task.WaitAsync(TimeSpan.FromSeconds(30)));
    }

    [Fact]
    public async Task The_job_survives_redis_being_down_when_the_callback_arrives()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        await infrastructure.StopRedisAsync();
        try
        {
            using var response = await voice.RecordingStatusAsync(callSid, recordingSid, "completed");
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
            await Eventually.ReturnsAsync(() => VoiceTestData.OutboxAsync(voice.Database), rows => rows.Single().PublishAttempts >= 1, "the relay tried and failed");
            var waiting = Assert.Single(await VoiceTestData.OutboxAsync(voice.Database));
            Assert.Null(waiting.PublishedAt);
            Assert.NotNull(waiting.LastError);
        }
        finally
        {
            await infrastructure.StartRedisAsync();
        }

        var entry = Assert.Single(await WaitForStreamAsync(voice, 1, TimeSpan.FromSeconds(90)));
        Assert.Equal(recordingSid, (string?)entry[RecordingJobStream.RecordingSidField]);
        await Eventually.ReturnsAsync(() => VoiceTestData.OutboxAsync(voice.Database), rows => rows.Single().PublishedAt is not null, "the job is marked published");
        // The Redis client reports the outage itself (Aspire hands it the logger factory); the gateway's own code logs no error.
        Assert.DoesNotContain(voice.Logs.Errors, e => !e.Category.StartsWith("StackExchange.Redis", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_gateway_starts_while_redis_is_down_and_publishes_the_job_once_redis_is_back()
    {
        await infrastructure.StopRedisAsync();
        VoiceHost? voice = null;
        try
        {
            voice = await VoiceHost.StartAsync(infrastructure);
            await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
            var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());
            await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);
            using var response = await voice.RecordingStatusAsync(callSid, recordingSid, "completed");
            Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        }
        finally
        {
            await infrastructure.StartRedisAsync();
        }

        await using (voice)
        {
            Assert.Single(await WaitForStreamAsync(voice, 1, TimeSpan.FromSeconds(90)));
            await Eventually.ReturnsAsync(() => VoiceTestData.OutboxAsync(voice.Database), rows => rows.Single().PublishedAt is not null, "the job is marked published");
        }
    }

    [Fact]
    public async Task An_absent_recording_keeps_twilios_error_code_and_the_call_is_missed_with_a_webhook()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber, webhookUrl: "https://hooks.example.com/calls");
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        await voice.RecordingStatusAsync(callSid, recordingSid, "absent", errorCode: "16102");
        await voice.RecordingStatusAsync(callSid, recordingSid, "absent", errorCode: "16102");

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal("16102", call!.RecordingErrorCode);
        Assert.Equal("absent", call.RecordingStatus);
        Assert.Equal(PipelineStatus.Missed, call.PipelineStatus);
        Assert.Equal(CallWebhooks.CallMissed, Assert.Single(call.WebhookDeliveries).EventType);
        Assert.Empty(await VoiceTestData.OutboxAsync(voice.Database));
    }

    [Fact]
    public async Task A_late_completed_callback_never_moves_a_processed_call_back_but_the_job_is_still_idempotent()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);
        await voice.RecordingStatusAsync(callSid, recordingSid, "completed");
        await VoiceTestData.UpdateCallAsync(voice.Database, callSid, c => c.PipelineStatus = PipelineStatus.Processed);

        await voice.RecordingStatusAsync(callSid, recordingSid, "completed");

        Assert.Equal(PipelineStatus.Processed, (await VoiceTestData.FindCallAsync(voice.Database, callSid))!.PipelineStatus);
        Assert.Single(await VoiceTestData.OutboxAsync(voice.Database));
    }

    [Fact]
    public async Task A_callback_for_an_unknown_call_is_absorbed_and_nothing_is_lost()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());

        using var response = await voice.RecordingStatusAsync(callSid, recordingSid, "completed");

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(recordingSid, (await VoiceTestData.FindCallAsync(voice.Database, callSid))!.RecordingSid);
        Assert.Single(await VoiceTestData.OutboxAsync(voice.Database));
    }

    [Fact]
    public async Task A_callback_without_its_required_fields_is_400()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        using var response = await voice.PostSignedAsync("/twilio/recording/status", new Dictionary<string, string> { ["CallSid"] = VoiceTestData.NewCallSid() });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
    }

    private async Task<StreamEntry[]> StreamEntriesAsync(VoiceHost voice)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        return await redis.GetDatabase().StreamRangeAsync(voice.Stream);
    }

    private async Task<StreamEntry[]> WaitForStreamAsync(VoiceHost voice, int count, TimeSpan? timeout = null) =>
        await Eventually.ReturnsAsync(() => StreamEntriesAsync(voice), entries => entries.Length >= count, $"{count} entries on {voice.Stream}", timeout);
}
