using System.Net;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Webhooks;

namespace CallPipeline.Tests.Voice;

/// <summary><c>POST /twilio/voice/status</c>: repeated and out-of-order callbacks never move a call backwards.</summary>
[Trait("Category", "Infrastructure")]
public sealed class CallStatusCallbackTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";

    [Fact]
    public async Task Callbacks_out_of_order_end_in_the_latest_status_with_its_duration()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        using var completed = await voice.CallStatusAsync(callSid, "completed", sequence: 3, duration: 95);
        using var ringing = await voice.CallStatusAsync(callSid, "ringing", sequence: 1);
        using var answered = await voice.CallStatusAsync(callSid, "in-progress", sequence: 2);
        using var duplicate = await voice.CallStatusAsync(callSid, "completed", sequence: 3, duration: 95);

        Assert.All([completed, ringing, answered, duplicate], r => Assert.Equal(HttpStatusCode.NoContent, r.StatusCode));
        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal("completed", call!.CallStatus);
        Assert.Equal(3, call.CallStatusSequence);
        Assert.Equal(95, call.DurationSeconds);
        Assert.NotNull(call.EndedAt);
        Assert.Equal(PipelineStatus.Ended, call.PipelineStatus);
    }

    [Fact]
    public async Task A_late_terminal_callback_never_overwrites_the_pipelines_own_status()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);
        await voice.CallStatusAsync(callSid, "in-progress", sequence: 1);
        await VoiceTestData.UpdateCallAsync(voice.Database, callSid, c => c.PipelineStatus = PipelineStatus.Processed);

        await voice.CallStatusAsync(callSid, "completed", sequence: 2, duration: 30);
        await voice.CallStatusAsync(callSid, "no-answer", sequence: 3);

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(PipelineStatus.Processed, call!.PipelineStatus);
        Assert.Equal("completed", call.CallStatus);
        Assert.Empty(call.WebhookDeliveries);
    }

    [Fact]
    public async Task Without_sequence_numbers_a_status_still_never_goes_back()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        await voice.CallStatusAsync(callSid, "in-progress", sequence: null);
        await voice.CallStatusAsync(callSid, "ringing", sequence: null);

        Assert.Equal("in-progress", (await VoiceTestData.FindCallAsync(voice.Database, callSid))!.CallStatus);
    }

    [Theory]
    [InlineData("no-answer")]
    [InlineData("busy")]
    [InlineData("failed")]
    [InlineData("canceled")]
    public async Task An_unanswered_call_is_missed_and_queues_one_call_missed_webhook(string status)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber, webhookUrl: "https://hooks.example.com/calls");
        var callSid = VoiceTestData.NewCallSid();
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);

        await voice.CallStatusAsync(callSid, status, sequence: 2, duration: 0);
        await voice.CallStatusAsync(callSid, status, sequence: 2, duration: 0);

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(PipelineStatus.Missed, call!.PipelineStatus);
        var delivery = Assert.Single(call.WebhookDeliveries);
        Assert.Equal(CallWebhooks.CallMissed, delivery.EventType);
        Assert.Equal(business.Id, delivery.BusinessId);
        Assert.Equal("https://hooks.example.com/calls", delivery.TargetUrl);
        Assert.Equal(1, voice.Logs.Count($"Webhook queued for call {callSid}"));
    }

    [Fact]
    public async Task An_outbound_call_nobody_answered_is_first_heard_of_in_its_status_callback_and_is_missed()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber, webhookUrl: "https://hooks.example.com/calls");
        var callSid = VoiceTestData.NewCallSid();

        await voice.CallStatusAsync(callSid, "no-answer", sequence: 2, direction: "outbound-api", from: BusinessNumber, to: Caller);

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(business.Id, call!.BusinessId);
        Assert.Equal(CallDirection.Outbound, call.Direction);
        Assert.Equal(PipelineStatus.Missed, call.PipelineStatus);
        Assert.Equal(CallWebhooks.CallMissed, Assert.Single(call.WebhookDeliveries).EventType);
    }

    [Fact]
    public async Task A_call_with_a_recording_is_not_missed()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber, webhookUrl: "https://hooks.example.com/calls");
        var callSid = VoiceTestData.NewCallSid();
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);
        await voice.RecordingStatusAsync(callSid, VoiceTestData.NewRecordingSid(), "in-progress");

        await voice.CallStatusAsync(callSid, "failed", sequence: 4);

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.NotEqual(PipelineStatus.Missed, call!.PipelineStatus);
        Assert.Empty(call.WebhookDeliveries);
    }

    [Fact]
    public async Task A_rejected_call_stays_rejected_whatever_twilio_reports_later()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var callSid = VoiceTestData.NewCallSid();
        await voice.IncomingCallAsync(callSid, Caller, "+97235559999");

        await voice.CallStatusAsync(callSid, "completed", sequence: 3, duration: 4);

        var call = await VoiceTestData.FindCallAsync(voice.Database, callSid);
        Assert.Equal(PipelineStatus.Rejected, call!.PipelineStatus);
        Assert.Equal(4, call.DurationSeconds);
    }
}
