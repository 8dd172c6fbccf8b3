extern alias voice;

using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using voice::CallPipeline.Voice.Operator;
using voice::CallPipeline.Voice.Telemetry;

namespace CallPipeline.Tests.Voice;

/// <summary>
/// A call is one trace: its first request establishes it and stores it with the call; Twilio's later requests, which
/// carry no trace context, get spans in that trace, linked to their own request spans.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class CallTraceTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string BusinessNumber = "+97235550100";
    private const string Caller = "+972501234567";
    private const string AspNetCore = "Microsoft.AspNetCore";

    [Fact]
    public async Task A_recording_callback_for_a_known_call_is_a_span_in_the_calls_trace_linked_to_its_own_request()
    {
        using var spans = new RecordedActivities(AspNetCore, CallTraces.ActivitySourceName);
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());
        await voice.IncomingCallAsync(callSid, Caller, BusinessNumber);
        var incoming = await spans.WaitForCallSpanAsync("incoming call", callSid);

        using var response = await voice.RecordingStatusAsync(callSid, recordingSid, "completed");
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        var recording = await spans.WaitForCallSpanAsync("recording status", callSid);

        // The incoming webhook's request span is the call's trace, stored with the call.
        var stored = TraceContext.From((await VoiceTestData.FindCallAsync(voice.Database, callSid))!.TraceParent, null)!.ToParent();
        Assert.Equal((incoming.TraceId, incoming.ParentSpanId), (stored.TraceId, stored.SpanId));
        Assert.Equal((incoming.TraceId, incoming.ParentSpanId), (recording.TraceId, recording.ParentSpanId));
        Assert.Equal(recordingSid, recording.GetTagItem(TraceTags.RecordingSid));
        // Twilio's callback has a request span of its own, in another trace; the two link to each other.
        var request = await spans.WaitForAsync(s => s.GetTagItem("http.route") as string == "/twilio/recording/status"
            && s.Links.Any(l => l.Context.SpanId == recording.SpanId), "the callback's request span links to the call's span");
        Assert.NotEqual(incoming.TraceId, request.TraceId);
        Assert.Equal(request.Context, Assert.Single(recording.Links).Context);
        // The job is written in the callback's span: the relay's publish continues from there.
        var job = Assert.Single(await VoiceTestData.OutboxAsync(voice.Database)).GetTrace()!.ToParent();
        Assert.Equal((recording.TraceId, recording.SpanId), (job.TraceId, job.SpanId));
        var send = await spans.WaitForAsync(s => s.OperationName == $"send {voice.Stream}" && s.TraceId == incoming.TraceId, "the job is published in the call's trace");
        Assert.Equal(ActivityKind.Producer, send.Kind);
        Assert.Equal(recording.SpanId, send.ParentSpanId);
        Assert.Equal("redis", send.GetTagItem(TraceTags.MessagingSystem));
        Assert.Equal(voice.Stream, send.GetTagItem(TraceTags.MessagingDestinationName));
    }

    [Fact]
    public async Task Status_callbacks_and_the_media_stream_continue_the_calls_trace()
    {
        using var spans = new RecordedActivities(AspNetCore, CallTraces.ActivitySourceName, "Npgsql");
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        var callSid = VoiceTestData.NewCallSid();
        var token = VoiceHost.StreamToken(await voice.IncomingCallAsync(callSid, Caller, BusinessNumber));
        var incoming = await spans.WaitForCallSpanAsync("incoming call", callSid);

        using (await voice.CallStatusAsync(callSid, "in-progress", sequence: 1))
        {
        }
        await using (var twilio = await voice.ConnectMediaAsync(token))
        {
            var streamSid = VoiceTestData.NewStreamSid();
            await twilio.SendConnectedAsync();
            await twilio.SendStartAsync(callSid, streamSid);
            await Eventually.ReturnsAsync(() => Task.FromResult(voice.Twilio.Requests.Count), n => n > 0, "the recording is started");
            await twilio.SendStopAsync(callSid, streamSid);
            await twilio.WaitForCloseAsync();
        }

        var status = await spans.WaitForCallSpanAsync("call status", callSid);
        var media = await spans.WaitForCallSpanAsync("media stream", callSid);
        Assert.All([status, media], span => Assert.Equal((incoming.TraceId, incoming.ParentSpanId), (span.TraceId, span.ParentSpanId)));
        Assert.NotEqual(incoming.TraceId, Assert.Single(media.Links).Context.TraceId);
        // The stream's work (the recording start's lookup, the finalize) runs in the stream's span.
        var database = await spans.WaitForAsync(s => s.Source.Name == "Npgsql" && s.ParentSpanId == media.SpanId, "the stream's queries are in its span");
        Assert.Equal(incoming.TraceId, database.TraceId);
    }

    [Fact]
    public async Task An_outbound_call_placed_through_the_operator_api_starts_the_calls_trace()
    {
        using var spans = new RecordedActivities(AspNetCore, CallTraces.ActivitySourceName);
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, BusinessNumber);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/calls") { Content = JsonContent.Create(new { from = BusinessNumber, to = Caller }) };
        request.Headers.Add(ApiKeyFilter.HeaderName, VoiceTestData.OperatorApiKey);

        using var placed = await voice.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, placed.StatusCode);
        var callSid = (await placed.Content.ReadFromJsonAsync<PlacedCallRecord>())!.CallSid;
        var api = await spans.WaitForAsync(s => s.GetTagItem("http.route") as string == "/api/calls" && s.GetTagItem(TraceTags.CallSid) as string == callSid, "the operator's request span ends");
        var call = (await VoiceTestData.FindCallAsync(voice.Database, callSid))!;
        Assert.Equal((CallDirection.Outbound, business.Id, BusinessNumber, Caller), (call.Direction, call.BusinessId, call.FromNumber, call.ToNumber));
        Assert.Equal((api.TraceId, api.SpanId), (call.GetTrace()!.ToParent().TraceId, call.GetTrace()!.ToParent().SpanId));

        // Twilio then asks for the TwiML: that request's span joins the operator's trace.
        await voice.IncomingCallAsync(callSid, BusinessNumber, Caller, direction: "outbound-api");
        var incoming = await spans.WaitForCallSpanAsync("incoming call", callSid);
        Assert.Equal((api.TraceId, api.SpanId), (incoming.TraceId, incoming.ParentSpanId));
        Assert.Equal(CallDirection.Outbound, (await VoiceTestData.FindCallAsync(voice.Database, callSid))!.Direction);
    }
}
