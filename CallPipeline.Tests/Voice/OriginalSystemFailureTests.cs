using System.Net.WebSockets;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// The voice-side failures of the original system (reference/original-system.md), each as the behaviour that
/// replaces it.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class OriginalSystemFailureTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";

    [Fact]
    public async Task Recording_sid_is_saved_at_finalize_and_again_from_the_callback()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);

        await RunSessionAsync(voice, callSid, token);
        var finalized = await WaitForFinalizedAsync(voice, callSid);
        using var callback = await voice.RecordingStatusAsync(callSid, finalized.RecordingSid!, "completed");

        Assert.Matches("^RE[0-9a-f]{32}$", finalized.RecordingSid);
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(finalized.RecordingSid, call!.RecordingSid);
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} at finalize: {call.RecordingSid}"));
        Assert.Equal(1, voice.Logs.Count($"Recording sid saved for {callSid} from callback: {call.RecordingSid}"));
        Assert.Equal(call.RecordingSid, Assert.Single(await VoiceTestData.OutboxAsync(voice.Database)).MessageKey);
    }

    [Fact]
    public async Task An_unknown_number_never_falls_back_to_the_first_active_business()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550200", name: "First active business");
        await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550300", name: "Second active business");
        var callSid = VoiceTestData.NewCallSid();

        var twiml = await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        Assert.DoesNotContain("<Stream", twiml, StringComparison.Ordinal);
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Null(call!.BusinessId);
        Assert.Equal(PipelineStatus.Rejected, call.PipelineStatus);
    }

    [Fact]
    public async Task A_websocket_closed_by_both_sides_closes_once_and_logs_nothing_above_debug()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();

        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            await twilio.SendStartAsync(callSid, streamSid);
            await twilio.SendFramesAsync(streamSid, 3);
            await twilio.CloseAsync();
            await twilio.SendStopAsync(callSid, streamSid).ContinueWith(_ => { }, TaskScheduler.Default);
            await twilio.WaitForCloseAsync();
        }

        await WaitForFinalizedAsync(voice, callSid);
        await Task.Delay(300);
        Assert.Equal(1, voice.Logs.Count($"Call {callSid} finalized"));
        Assert.Empty(voice.Logs.Errors);
        Assert.DoesNotContain(voice.Logs.Entries, e => e.Level >= LogLevel.Warning && e.Category.StartsWith("CallPipeline.Voice", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_second_socket_on_the_same_token_is_refused_whatever_its_stream_sid_and_starts_no_second_recording(bool sameStreamSid)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        var streamSid = VoiceTestData.NewStreamSid();

        await using var first = await voice.ConnectMediaAsync(token);
        await first.SendStartAsync(callSid, streamSid);
        await first.WaitForEventsAsync("mark", 1);
        await using var second = await voice.ConnectMediaAsync(token);
        await second.SendStartAsync(callSid, sameStreamSid ? streamSid : VoiceTestData.NewStreamSid());

        Assert.Equal(WebSocketCloseStatus.PolicyViolation, await second.WaitForCloseAsync());
        Assert.Empty(second.ReceivedEvents("media"));
        await first.SendFramesAsync(streamSid, 5);
        await first.SendStopAsync(callSid, streamSid);
        Assert.Equal(WebSocketCloseStatus.NormalClosure, await first.WaitForCloseAsync());
        var call = await WaitForFinalizedAsync(voice, callSid);
        Assert.Equal(streamSid, call.MediaStreamSid);
        Assert.Equal(5 * 160, (await VoiceTestData.StoredRecordingAsync(voice.Database, callSid)).SampleFrames);
        Assert.Single(voice.Twilio.Requests);
        Assert.Equal(1, voice.Logs.Count($"Recording started for {callSid}:"));
        Assert.Equal(1, voice.Logs.Count($"Call {callSid} finalized"));
    }

    [Fact]
    public async Task Late_callbacks_never_overwrite_a_processed_call()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var (callSid, token) = await AnswerAsync(voice);
        await RunSessionAsync(voice, callSid, token);
        var recordingSid = (await WaitForFinalizedAsync(voice, callSid)).RecordingSid!;
        await voice.RecordingStatusAsync(callSid, recordingSid, "completed");
        await VoiceTestData.UpdateCallAsync(voice.Database, callSid, c => c.PipelineStatus = PipelineStatus.Processed);

        await voice.CallStatusAsync(callSid, "completed", sequence: 5, duration: 12);
        await voice.CallStatusAsync(callSid, "in-progress", sequence: 2);
        await voice.RecordingStatusAsync(callSid, recordingSid, "in-progress");
        await voice.RecordingStatusAsync(callSid, recordingSid, "completed");

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(PipelineStatus.Processed, call!.PipelineStatus);
        Assert.Equal("completed", call.CallStatus);
        Assert.Equal("completed", call.RecordingStatus);
        Assert.Single(await VoiceTestData.OutboxAsync(voice.Database));
    }

    private static async Task<(string CallSid, string Token)> AnswerAsync(VoiceHost voice)
    {
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();
        return (callSid, VoiceHost.StreamToken(await voice.IncomingCallAsync(callSid, Caller, BusinessNumber)));
    }

    private static async Task RunSessionAsync(VoiceHost voice, string callSid, string token)
    {
        var streamSid = VoiceTestData.NewStreamSid();
        await using var twilio = await voice.ConnectMediaAsync(token);
        await twilio.SendConnectedAsync();
        await twilio.SendStartAsync(callSid, streamSid);
        await twilio.SendFramesAsync(streamSid, 10);
        await twilio.SendStopAsync(callSid, streamSid);
        await twilio.WaitForCloseAsync();
    }

    private static Task<CallLog> WaitForFinalizedAsync(VoiceHost voice, string callSid) =>
        Eventually.ReturnsAsync(async () => (await VoiceTestData.FindCallAsync(voice.Database, callSid))!, c => c.StreamFinalizedAt is not null && voice.Logs.Count($"Call {callSid} finalized") > 0, $"{callSid} is finalized", TimeSpan.FromSeconds(30));
}
