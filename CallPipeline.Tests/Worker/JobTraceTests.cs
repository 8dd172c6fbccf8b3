extern alias voice;
extern alias worker;

using System.Diagnostics;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.RecordingJobs;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Tests.Worker.Support;
using CallPipeline.Webhooks.Dispatch;
using CallPipeline.Webhooks.Signing;
using StackExchange.Redis;
using voice::CallPipeline.Voice.Telemetry;
using worker::CallPipeline.Worker.Telemetry;

namespace CallPipeline.Tests.Worker;

/// <summary>
/// The worker continues the trace its stream entry carries, with a span per step, and the webhook attempts continue it
/// further: from Twilio's incoming-call webhook to the business's endpoint, a call is one trace.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class JobTraceTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string Caller = "+972501234567";
    private static readonly string[] Steps = ["load", "fetch", "convert", "transcribe", "summarise", "extract", "save"];

    [Fact]
    public async Task Each_step_of_a_job_is_a_span_named_after_it_under_the_consumer_span_of_the_entrys_trace()
    {
        using var spans = new RecordedActivities(WorkerTraces.ActivitySourceName);
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-steps");
        var (traceId, producerSpanId) = (ActivityTraceId.CreateRandom(), ActivitySpanId.CreateRandom());

        var entryId = await env.EnqueueAsync(
            new NameValueEntry(RecordingJobStream.CallSidField, call.CallSid),
            new NameValueEntry(RecordingJobStream.RecordingSidField, call.RecordingSid),
            new NameValueEntry(TraceContext.TraceParentField, $"00-{traceId}-{producerSpanId}-01"));
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);

        var process = await spans.WaitForAsync(s => s.OperationName == $"process {env.Stream}" && s.TraceId == traceId, "the job's span ends");
        Assert.Equal(ActivityKind.Consumer, process.Kind);
        Assert.Equal(producerSpanId, process.ParentSpanId);
        Assert.Equal("redis", process.GetTagItem(TraceTags.MessagingSystem));
        Assert.Equal(env.Stream, process.GetTagItem(TraceTags.MessagingDestinationName));
        Assert.Equal("process", process.GetTagItem(TraceTags.MessagingOperationType));
        Assert.Equal(WorkerTestEnvironment.Group, process.GetTagItem(TraceTags.MessagingConsumerGroupName));
        Assert.Equal(entryId.ToString(), process.GetTagItem(TraceTags.MessagingMessageId));
        Assert.Equal(call.CallSid, process.GetTagItem(TraceTags.CallSid));
        Assert.Equal(Steps, StepsOf(spans, process).Select(s => s.OperationName));
        Assert.All(StepsOf(spans, process), step => Assert.Equal(ActivityStatusCode.Unset, step.Status));
        AssertNoCallerText(spans.Stopped.Where(s => s.TraceId == traceId), env);
    }

    [Fact]
    public async Task A_failing_step_marks_its_span_and_the_jobs_span_with_the_recorded_reason()
    {
        using var spans = new RecordedActivities(WorkerTraces.ActivitySourceName);
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.Transcribe = _ => null;
        var business = await env.AddBusinessAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await using var worker = WorkerHost.Start(env, "worker-failing-step");

        await env.EnqueueAsync(call);
        var failed = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Failed);

        var process = await spans.WaitForAsync(s => s.OperationName == $"process {env.Stream}" && s.GetTagItem(TraceTags.CallSid) as string == call.CallSid, "the job's span ends");
        Assert.Equal(ActivityStatusCode.Error, process.Status);
        Assert.Equal("Permanent", process.GetTagItem(TraceTags.ErrorType));
        var transcribe = Assert.Single(StepsOf(spans, process), s => s.OperationName == "transcribe");
        Assert.Equal(ActivityStatusCode.Error, transcribe.Status);
        Assert.Equal(failed.ErrorReason, transcribe.StatusDescription);
        Assert.DoesNotContain(env.OpenAi.Failure.Message, transcribe.StatusDescription);
        Assert.Equal(["load", "fetch", "convert", "transcribe"], StepsOf(spans, process).Select(s => s.OperationName));
    }

    [Fact]
    public async Task One_call_is_one_trace_from_the_incoming_webhook_through_the_worker_to_the_webhook_attempt()
    {
        using var spans = new RecordedActivities(CallTraces.ActivitySourceName, WorkerTraces.ActivitySourceName, WebhookTraces.ActivitySourceName, "System.Net.Http");
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        var secret = WebhookSecret.Generate();
        await using var receiver = ReceiverServer.Start(secret, ["calls"]);
        var business = await WebhookTestData.AddBusinessAsync(env.Database, genericUrl: receiver.HookUrl("calls"), secret: secret);
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string>
        {
            ["Worker:Stream"] = env.Stream,
            ["Worker:NudgeChannel"] = env.Stream + ":nudge",
        }, database: env.Database);
        await using var worker = WorkerHost.Start(env, "worker-one-trace", new Dictionary<string, string> { ["Webhooks:Dispatcher:PollInterval"] = "00:00:00.200" });
        var (callSid, recordingSid) = (VoiceTestData.NewCallSid(), VoiceTestData.NewRecordingSid());

        await voice.IncomingCallAsync(callSid, Caller, business.PhoneE164);
        using (await voice.RecordingStatusAsync(callSid, recordingSid, "completed", recordingUrl: env.Twilio.RecordingUrl(recordingSid)))
        {
        }
        await env.WaitForStatusAsync(callSid, PipelineStatus.Processed);

        var incoming = await spans.WaitForCallSpanAsync("incoming call", callSid);
        var callTrace = incoming.TraceId;
        // The job message carries the publish span's traceparent, in the call's trace.
        var entry = Assert.Single(await env.Redis.GetDatabase().StreamRangeAsync(env.Stream));
        var carried = TraceContext.Extract(name => (string?)entry[name])!.ToParent();
        var send = await spans.WaitForAsync(s => s.OperationName == $"send {env.Stream}" && s.TraceId == callTrace, "the publish span ends");
        Assert.Equal((callTrace, send.SpanId), (carried.TraceId, carried.SpanId));
        // The worker's spans are in the incoming webhook's trace, one per step.
        var process = await spans.WaitForCallSpanAsync($"process {env.Stream}", callSid);
        Assert.Equal((callTrace, send.SpanId), (process.TraceId, process.ParentSpanId));
        Assert.Equal(Steps, StepsOf(spans, process).Select(s => s.OperationName));
        // The webhook's attempt continues from the save step that created the delivery.
        var attempt = await spans.WaitForCallSpanAsync("deliver call.completed", callSid);
        var save = Assert.Single(StepsOf(spans, process), s => s.OperationName == "save");
        Assert.Equal((callTrace, save.SpanId), (attempt.TraceId, attempt.ParentSpanId));
        var received = Assert.Single(await receiver.ListAsync("calls"));
        Assert.Equal(received.Id, attempt.GetTagItem(WebhookTraces.WebhookId));
        Assert.Equal(1, attempt.GetTagItem(WebhookTraces.Attempt));
        Assert.Equal(ActivityStatusCode.Unset, attempt.Status);
        // The POST keeps the endpoint's origin only: a webhook URL's path may hold the business's token.
        var post = Assert.Single(spans.Stopped, s => s.Source.Name == "System.Net.Http" && s.ParentSpanId == attempt.SpanId);
        Assert.Equal(new Uri(receiver.BaseUrl).GetLeftPart(UriPartial.Authority) + "/", post.GetTagItem("url.full"));
        AssertNoCallerText(spans.Stopped.Where(s => s.TraceId == callTrace), env);
    }

    private static List<Activity> StepsOf(RecordedActivities spans, Activity process) =>
        [.. spans.Stopped.Where(s => s.ParentSpanId == process.SpanId && s.TraceId == process.TraceId && s.Source.Name == WorkerTraces.ActivitySourceName).OrderBy(s => s.StartTimeUtc)];

    /// <summary>Spans carry ids and statuses: nothing the caller said, nor the summary or the extracted details.</summary>
    private static void AssertNoCallerText(IEnumerable<Activity> spans, WorkerTestEnvironment env)
    {
        string[] callerText = ["אינסטלטור", env.OpenAi.SummaryText, "דני", "חיפה"];
        Assert.DoesNotContain(spans, span => callerText.Any(text =>
            (span.StatusDescription?.Contains(text, StringComparison.Ordinal) ?? false)
            || span.TagObjects.Any(tag => tag.Value?.ToString()?.Contains(text, StringComparison.Ordinal) ?? false)));
    }
}
