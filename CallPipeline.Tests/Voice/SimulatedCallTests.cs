using System.Net;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Webhooks;
using StackExchange.Redis;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// The voice gateway against the Twilio double's call simulator (devdoubles): signed webhooks, TwiML, a real Media
/// Stream of espeak-ng speech, the REST recording start and Twilio's callbacks, all over real HTTP and WebSockets.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class SimulatedCallTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972541234567";
    private const string Text = "שלום, אני צריך אינסטלטור בתל אביב מחר בבוקר.";

    [Fact]
    public async Task A_simulated_call_saves_the_recording_sid_at_finalize_and_from_the_callback_and_queues_one_job()
    {
        // Real time: sped up, a short call can end before a loaded machine's first REST request starts the recording.
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, duplicateCallbacks: true, speed: 1);
        await VoiceTestData.AddBusinessAsync(graph.Voice.Database, BusinessNumber);

        var callSid = await graph.PlaceCallAsync(new { from = Caller, to = BusinessNumber, direction = "inbound", text = Text });
        var call = await graph.WaitForCallAsync(callSid, c => c.RecordingStatus == "completed" && c.StreamFinalizedAt is not null
            && graph.Voice.Logs.Count($"Call {callSid} finalized") > 0 && graph.Voice.Logs.Count($"Recording job enqueued for {callSid}") > 0);

        Assert.Matches("^RE[0-9a-fA-F]{32}$", call.RecordingSid);
        Assert.Equal(PipelineStatus.Recorded, call.PipelineStatus);
        Assert.Equal("completed", call.CallStatus);
        Assert.Equal(CallDirection.Inbound, call.Direction);
        Assert.True((await VoiceTestData.StoredRecordingAsync(graph.Voice.Database, callSid)).SampleFrames > 8000, "the gateway's recording holds the call");
        var logs = graph.Voice.Logs;
        Assert.Equal(1, logs.Count($"Recording started for {callSid}: {call.RecordingSid}"));
        Assert.Equal(1, logs.Count($"Recording sid saved for {callSid} at finalize: {call.RecordingSid}"));
        Assert.True(logs.Count($"Recording sid saved for {callSid} from callback: {call.RecordingSid}") >= 1);
        var job = Assert.Single(await VoiceTestData.OutboxAsync(graph.Voice.Database));
        Assert.Equal(call.RecordingSid, job.MessageKey);
        await Eventually.ReturnsAsync(() => StreamLengthAsync(graph.Voice.Stream), n => n == 1, "one job on the stream");
        Assert.Empty(logs.Errors);
        Assert.DoesNotContain(logs.Lines, l => l.Contains("Unhandled exception", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, l => l.Contains(Text, StringComparison.Ordinal) || l.Contains(VoiceTestData.AuthToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_simulated_call_nobody_answers_is_missed_with_a_call_missed_webhook()
    {
        await using var graph = await SimulatedGraph.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(graph.Voice.Database, BusinessNumber, webhookUrl: "https://hooks.example.com/calls");

        var callSid = await graph.PlaceCallAsync(new { from = Caller, to = BusinessNumber, direction = "inbound", outcome = "no-answer" });
        var call = await graph.WaitForCallAsync(callSid, c => c.PipelineStatus == PipelineStatus.Missed);

        Assert.Null(call.RecordingSid);
        Assert.Equal(CallWebhooks.CallMissed, Assert.Single(call.WebhookDeliveries).EventType);
        Assert.Empty(await VoiceTestData.OutboxAsync(graph.Voice.Database));
    }

    [Fact]
    public async Task A_simulated_outbound_call_uses_the_same_twiml_and_media_path_and_is_recorded_outbound()
    {
        // Real time, as above: the recording is what this test waits for.
        await using var graph = await SimulatedGraph.StartAsync(infrastructure, speed: 1);
        var business = await VoiceTestData.AddBusinessAsync(graph.Voice.Database, BusinessNumber);

        var callSid = await graph.PlaceCallAsync(new { from = BusinessNumber, to = Caller, direction = "outbound", text = Text });
        var call = await graph.WaitForCallAsync(callSid, c => c.RecordingStatus == "completed" && c.StreamFinalizedAt is not null);

        Assert.Equal(business.Id, call.BusinessId);
        Assert.Equal(CallDirection.Outbound, call.Direction);
        Assert.StartsWith("outbound", call.TwilioDirection, StringComparison.Ordinal);
        Assert.NotNull(call.RecordingSid);
    }

    private async Task<long> StreamLengthAsync(string stream)
    {
        await using var redis = await ConnectionMultiplexer.ConnectAsync(infrastructure.RedisConnectionString);
        return await redis.GetDatabase().StreamLengthAsync(stream);
    }
}
