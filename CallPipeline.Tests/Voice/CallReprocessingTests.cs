using System.Net;
using CallPipeline.Data.Entities;
using CallPipeline.RecordingJobs;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// <c>POST /api/calls/{callSid}/reprocess</c>: a failed call, or one abandoned in processing (its lease expired), gets a new
/// job through the outbox; nothing else does.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class CallReprocessingTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task A_failed_call_goes_back_to_recorded_and_a_new_job_reaches_the_stream()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var call = await AddCallAsync(voice, PipelineStatus.Failed);

        using var response = await PostAsync(voice, $"/api/calls/{call.CallSid}/reprocess");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        await using var db = VoiceTestData.OpenDb(voice.Database);
        var saved = await db.CallLogs.AsNoTracking().SingleAsync(c => c.CallSid == call.CallSid);
        Assert.Equal(PipelineStatus.Recorded, saved.PipelineStatus);
        Assert.Null(saved.ErrorReason);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        var entries = await Eventually.ReturnsAsync(
            () => redis.GetDatabase().StreamRangeAsync(voice.Stream),
            e => e.Length == 1,
            "the new job is on the stream");
        Assert.Equal(call.RecordingSid, entries[0][RecordingJobStream.RecordingSidField].ToString());
        Assert.Equal(call.CallSid, entries[0][RecordingJobStream.CallSidField].ToString());
        Assert.Contains(voice.Logs.Lines, l => l.Contains($"Reprocessing of {call.CallSid} queued by the operator", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(PipelineStatus.Processed, "processed")]
    [InlineData(PipelineStatus.InProgress, "in_progress")]
    public async Task A_call_that_is_not_failed_is_409_naming_its_status_and_stays_as_it_is(PipelineStatus status, string statusName)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var call = await AddCallAsync(voice, status);

        using var response = await PostAsync(voice, $"/api/calls/{call.CallSid}/reprocess");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains($"is {statusName}.", await response.Content.ReadAsStringAsync());
        await using var db = VoiceTestData.OpenDb(voice.Database);
        Assert.Equal(status, (await db.CallLogs.AsNoTracking().SingleAsync(c => c.CallSid == call.CallSid)).PipelineStatus);
        Assert.Equal(0, await db.OutboxMessages.CountAsync());
    }

    [Fact]
    public async Task A_call_abandoned_in_processing_is_accepted_goes_back_to_recorded_and_a_new_job_reaches_the_stream()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        // Its worker died mid-job and Redis lost the entry: the lease ran out and nobody renews it.
        var call = await AddCallAsync(voice, PipelineStatus.Processing, leaseExpiresAt: DateTimeOffset.UtcNow.AddMinutes(-1));

        using var response = await PostAsync(voice, $"/api/calls/{call.CallSid}/reprocess");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var saved = await VoiceTestData.FindCallAsync(voice.Database, call.CallSid);
        Assert.Equal(PipelineStatus.Recorded, saved!.PipelineStatus);
        Assert.Null(saved.ProcessingOwner);
        Assert.Null(saved.ProcessingLeaseExpiresAt);
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        var entries = await Eventually.ReturnsAsync(() => redis.GetDatabase().StreamRangeAsync(voice.Stream), e => e.Length == 1, "the new job is on the stream");
        Assert.Equal(call.CallSid, entries[0][RecordingJobStream.CallSidField].ToString());
    }

    [Fact]
    public async Task A_call_its_worker_still_holds_in_processing_is_409_and_stays_as_it_is()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var call = await AddCallAsync(voice, PipelineStatus.Processing, leaseExpiresAt: DateTimeOffset.UtcNow.AddMinutes(4));

        using var response = await PostAsync(voice, $"/api/calls/{call.CallSid}/reprocess");

        Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
        Assert.Contains("is processing.", await response.Content.ReadAsStringAsync());
        var saved = await VoiceTestData.FindCallAsync(voice.Database, call.CallSid);
        Assert.Equal(PipelineStatus.Processing, saved!.PipelineStatus);
        Assert.Equal("worker-a:1-0", saved.ProcessingOwner);
        Assert.Empty(await VoiceTestData.OutboxAsync(voice.Database));
    }

    [Fact]
    public async Task An_unknown_call_is_404()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        using var response = await PostAsync(voice, "/api/calls/CA00000000000000000000000000000000/reprocess");

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    private static async Task<CallLog> AddCallAsync(VoiceHost voice, PipelineStatus status, DateTimeOffset? leaseExpiresAt = null)
    {
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550100");
        var call = WebhookTestData.NewProcessedCall(business.Id);
        call.PipelineStatus = status;
        call.ErrorReason = status == PipelineStatus.Failed ? "the AI endpoint answered 401" : null;
        call.ProcessingOwner = leaseExpiresAt is null ? null : "worker-a:1-0";
        call.ProcessingLeaseExpiresAt = leaseExpiresAt;
        await using var db = VoiceTestData.OpenDb(voice.Database);
        db.CallLogs.Add(call);
        await db.SaveChangesAsync();
        return call;
    }

    private static async Task<HttpResponseMessage> PostAsync(VoiceHost voice, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path);
        request.Headers.Add("X-Api-Key", VoiceTestData.OperatorApiKey);
        return await voice.Client.SendAsync(request);
    }
}
