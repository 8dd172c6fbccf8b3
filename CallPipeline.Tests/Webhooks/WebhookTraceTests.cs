using System.Diagnostics;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks.Dispatch;
using CallPipeline.Webhooks.Signing;

namespace CallPipeline.Tests.Webhooks;

/// <summary>Every attempt of a delivery is a span in the trace its row stores, whichever dispatcher makes it and however much later.</summary>
[Trait("Category", "Infrastructure")]
public sealed class WebhookTraceTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    /// <summary>Plays the worker's save step, the span a call.completed delivery is created in.</summary>
    private static readonly ActivitySource SaveStep = new("CallPipeline.Tests.SaveStep");

    [Fact]
    public async Task Each_attempt_is_a_span_under_the_span_that_created_the_delivery_also_after_a_dispatcher_restart()
    {
        using var spans = new RecordedActivities(WebhookTraces.ActivitySourceName, SaveStep.Name);
        var db = await infrastructure.CreateDatabaseAsync();
        var secret = WebhookSecret.Generate();
        await using var receiver = ReceiverServer.Start(secret, ["calls"]);
        await receiver.SetFaultsAsync(new { failFirstAttempts = 1, statusCode = 500 });
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("calls"), secret: secret);
        var call = WebhookTestData.NewProcessedCall(business.Id);
        WebhookDelivery queued;
        ActivityContext save;
        using (var span = SaveStep.StartActivity("save"))
        {
            queued = (await WebhookTestData.AddCallWithDeliveryAsync(db, call))!;
            save = span!.Context;
        }
        Assert.Equal((save.TraceId, save.SpanId), (queued.GetTrace()!.ToParent().TraceId, queued.GetTrace()!.ToParent().SpanId));

        // The first dispatcher fails once and stops before its retry is due; a new one (a restart) delivers.
        await using (var first = await DispatcherHost.StartAsync(db, new Dictionary<string, string?> { ["Webhooks:Dispatcher:RetrySchedule:0"] = "00:00:02" }))
        {
            await Eventually.ReturnsAsync(() => WebhookTestData.LoadDeliveryAsync(db, queued.WebhookId),
                d => d.Attempts.Any(a => a.StatusCode == 500), "the first attempt fails");
        }
        await using var second = await DispatcherHost.StartAsync(db);
        await Eventually.ReturnsAsync(() => WebhookTestData.LoadDeliveryAsync(db, queued.WebhookId),
            d => d.Status == WebhookDeliveryStatus.Delivered, "the second dispatcher delivers");

        var attempts = await Eventually.ReturnsAsync(
            () => Task.FromResult(spans.Stopped.Where(s => s.GetTagItem(WebhookTraces.WebhookId) as string == queued.WebhookId).OrderBy(s => s.StartTimeUtc).ToList()),
            list => list.Count == 2,
            "two attempt spans end");
        Assert.All(attempts, attempt =>
        {
            Assert.Equal("deliver call.completed", attempt.OperationName);
            Assert.Equal((save.TraceId, save.SpanId), (attempt.TraceId, attempt.ParentSpanId));
            Assert.Equal(call.CallSid, attempt.GetTagItem(TraceTags.CallSid));
        });
        Assert.Equal(new object?[] { 1, 2 }, attempts.Select(a => a.GetTagItem(WebhookTraces.Attempt)));
        Assert.Equal(new object?[] { 500, 204 }, attempts.Select(a => a.GetTagItem(TraceTags.HttpResponseStatusCode)));
        Assert.Equal((ActivityStatusCode.Error, "HTTP 500"), (attempts[0].Status, attempts[0].StatusDescription));
        Assert.Equal(ActivityStatusCode.Unset, attempts[1].Status);
        Assert.DoesNotContain(attempts, a => a.TagObjects.Any(t => t.Value?.ToString()?.Contains(receiver.BaseUrl, StringComparison.Ordinal) ?? false));
    }
}
