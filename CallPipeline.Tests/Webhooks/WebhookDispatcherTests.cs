using System.Text.Json.Nodes;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks;
using CallPipeline.Webhooks.Dispatch;
using CallPipeline.Webhooks.Signing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace CallPipeline.Tests.Webhooks;

/// <summary>The dispatcher against real Postgres and the real receiver on Kestrel, over real HTTP.</summary>
[Trait("Category", "Infrastructure")]
public sealed class WebhookDispatcherTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private readonly string _secret = WebhookSecret.Generate();

    [Fact]
    public async Task A_queued_webhook_reaches_the_receiver_signed_and_the_attempt_is_recorded()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: _secret);
        var call = WebhookTestData.NewProcessedCall(business.Id);
        var queued = await WebhookTestData.AddCallWithDeliveryAsync(db, call);

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        var delivery = await WaitForStatusAsync(db, queued!.WebhookId, WebhookDeliveryStatus.Delivered);

        var received = Assert.Single(await receiver.ListAsync("demo"));
        Assert.Equal(queued.WebhookId, received.Id);
        Assert.Equal(queued.Payload, received.Body);
        Assert.StartsWith("application/json", received.Headers["content-type"]);
        Assert.Equal(1, received.AttemptsSeen);
        var attempt = Assert.Single(delivery.Attempts);
        Assert.Equal(204, attempt.StatusCode);
        Assert.Null(attempt.Error);
        Assert.NotNull(delivery.DeliveredAt);
        var logLine = Assert.Single(dispatcher.Logs.Lines, line => line.Contains(queued.WebhookId) && line.Contains("attempt 1"));
        Assert.Contains(call.CallSid, logLine);
        Assert.DoesNotContain(dispatcher.Logs.Lines, line => line.Contains(_secret) || line.Contains(call.Summary!) || line.Contains(call.FinalTranscript!));
    }

    [Fact]
    public async Task A_500_is_retried_on_the_schedule_each_attempt_sent_once_until_delivered()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { failFirstAttempts = 2, statusCode = 500 });
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Delivered);

        Assert.Equal([500, 500, 204], delivery.Attempts.OrderBy(a => a.AttemptNumber).Select(a => a.StatusCode));
        Assert.Equal("HTTP 500", delivery.Attempts.Single(a => a.AttemptNumber == 1).Error);
        // Three attempts recorded, three requests seen: no hidden retries by a resilience handler.
        Assert.Equal(3, Assert.Single(await receiver.ListAsync("demo")).AttemptsSeen);
    }

    [Fact]
    public async Task An_endpoint_slower_than_the_timeout_fails_the_attempt_and_a_later_attempt_delivers()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { delay = "00:00:30" });
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));

        await using var dispatcher = await DispatcherHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["Webhooks:Dispatcher:Timeout"] = "00:00:02",
            ["Webhooks:Dispatcher:RetrySchedule:0"] = "00:00:01",
        });
        await Eventually.ReturnsAsync(
            () => WebhookTestData.LoadDeliveryAsync(db, queued.WebhookId),
            d => d.Attempts.Any(a => a.AttemptNumber == 1 && a.Error != WebhookDeliveryStore.NoAnswerRecorded),
            "the first attempt is recorded");
        await receiver.ClearFaultsAsync();
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Delivered);

        var first = delivery.Attempts.Single(a => a.AttemptNumber == 1);
        Assert.Null(first.StatusCode);
        Assert.Equal("no response within 2 s", first.Error);
    }

    [Fact]
    public async Task A_refused_connection_is_retried_until_the_endpoint_comes_up()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        var port = FreePort.Next();
        var queued = await QueueAsync(db, $"http://127.0.0.1:{port}/hooks/demo");

        await using var dispatcher = await DispatcherHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["Webhooks:Dispatcher:RetrySchedule:0"] = "00:00:00.200",
            ["Webhooks:Dispatcher:RetrySchedule:1"] = "00:00:01",
            ["Webhooks:Dispatcher:RetrySchedule:2"] = "00:00:02",
            ["Webhooks:Dispatcher:RetrySchedule:3"] = "00:00:05",
            ["Webhooks:Dispatcher:RetrySchedule:4"] = "00:00:05",
            ["Webhooks:Dispatcher:RetrySchedule:5"] = "00:00:05",
        });
        var refused = await Eventually.ReturnsAsync(
            () => WebhookTestData.LoadDeliveryAsync(db, queued.WebhookId),
            d => d.Attempts.Any(a => a.Error is not null && a.Error != WebhookDeliveryStore.NoAnswerRecorded),
            "a refused attempt is recorded");
        await using var receiver = ReceiverServer.Start(_secret, ["demo"], port);
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Delivered);

        Assert.Equal("connection failed (ConnectionRefused)", refused.Attempts.OrderBy(a => a.AttemptNumber).First().Error);
        Assert.Equal(204, delivery.Attempts.MaxBy(a => a.AttemptNumber)!.StatusCode);
        Assert.Equal(1, Assert.Single(await receiver.ListAsync("demo")).AttemptsSeen);
    }

    [Fact]
    public async Task A_503_with_retry_after_delays_the_next_attempt_past_the_schedule()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { failFirstAttempts = 1, statusCode = 503, retryAfter = "3" });
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Delivered);

        var attempts = delivery.Attempts.OrderBy(a => a.AttemptNumber).ToArray();
        Assert.Equal([503, 204], attempts.Select(a => a.StatusCode));
        // The schedule says 200 ms; Retry-After said 3 s, counted from when the answer was recorded.
        Assert.True(attempts[1].AttemptedAt - attempts[0].AttemptedAt >= TimeSpan.FromSeconds(3), $"Second attempt came {attempts[1].AttemptedAt - attempts[0].AttemptedAt} after the first.");
    }

    [Fact]
    public async Task A_redirect_is_a_failure_and_is_not_followed()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo", "moved"]);
        await receiver.SetFaultsAsync(new { failFirstAttempts = 1, statusCode = 307, location = receiver.HookUrl("moved") });
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Delivered);

        var first = delivery.Attempts.Single(a => a.AttemptNumber == 1);
        Assert.Equal(307, first.StatusCode);
        Assert.Equal("HTTP 307: redirects are not followed", first.Error);
        Assert.Empty(await receiver.ListAsync("moved"));
        Assert.Equal(2, Assert.Single(await receiver.ListAsync("demo")).AttemptsSeen);
    }

    [Fact]
    public async Task A_410_disables_the_delivery_and_the_business_webhooks_and_nothing_more_is_sent()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { failureRate = 1.0, statusCode = 410 });
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: _secret);
        var first = await WebhookTestData.AddCallWithDeliveryAsync(db, WebhookTestData.NewProcessedCall(business.Id));

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        var disabled = await WaitForStatusAsync(db, first!.WebhookId, WebhookDeliveryStatus.Disabled);
        var second = await WebhookTestData.AddCallWithDeliveryAsync(db, WebhookTestData.NewProcessedCall(business.Id));

        Assert.Single(disabled.Attempts);
        Assert.Contains("410", disabled.LastError);
        await using var check = WebhookTestData.OpenDb(db);
        Assert.False((await check.Businesses.SingleAsync(b => b.Id == business.Id)).WebhooksEnabled);
        // Turned off: a later call of this business queues nothing.
        Assert.Null(second);
    }

    [Fact]
    public async Task Deliveries_already_queued_when_the_business_is_turned_off_are_disabled_without_sending()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: _secret);
        var queued = await WebhookTestData.AddCallWithDeliveryAsync(db, WebhookTestData.NewProcessedCall(business.Id));
        await using (var turnOff = WebhookTestData.OpenDb(db))
        {
            await turnOff.Businesses.Where(b => b.Id == business.Id).ExecuteUpdateAsync(b => b.SetProperty(x => x.WebhooksEnabled, false));
        }

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        var delivery = await WaitForStatusAsync(db, queued!.WebhookId, WebhookDeliveryStatus.Disabled);

        Assert.Empty(delivery.Attempts);
        Assert.Empty(await receiver.ListAsync("demo"));
    }

    [Fact]
    public async Task An_endpoint_failing_every_attempt_exhausts_the_schedule_and_the_delivery_is_failed_with_its_reason()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { failureRate = 1.0, statusCode = 502 });
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));

        await using var dispatcher = await DispatcherHost.StartAsync(db, new Dictionary<string, string?>
        {
            ["Webhooks:Dispatcher:RetrySchedule:2"] = null,
            ["Webhooks:Dispatcher:RetrySchedule:3"] = null,
        });
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Failed);

        Assert.Equal(3, delivery.Attempts.Count);
        Assert.All(delivery.Attempts, a => Assert.Equal(502, a.StatusCode));
        Assert.Equal("gave up after 3 attempts; last: HTTP 502", delivery.LastError);
    }

    [Fact]
    public async Task A_dispatcher_killed_between_sending_and_recording_is_covered_by_a_resend_under_the_same_id_and_the_receiver_keeps_one()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));
        var lease = new Dictionary<string, string?> { ["Webhooks:Dispatcher:Timeout"] = "00:00:02", ["Webhooks:Dispatcher:ClaimLease"] = "00:00:04" };

        // The doomed dispatcher: claims and sends, then dies before recording the answer.
        await using (var doomed = DispatcherHost.Create(db, lease))
        {
            var (store, sender, scope) = doomed.Parts();
            using (scope)
            {
                var claim = Assert.Single(await store.ClaimDueAsync(CancellationToken.None));
                var outcome = await sender.SendAsync(claim);
                Assert.Equal(AttemptResult.Delivered, outcome.Result);
            }
        }

        await using var survivor = await DispatcherHost.StartAsync(db, lease);
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Delivered);

        var received = Assert.Single(await receiver.ListAsync("demo"));
        Assert.Equal(queued.WebhookId, received.Id);
        Assert.Equal(2, received.AttemptsSeen);
        var attempts = delivery.Attempts.OrderBy(a => a.AttemptNumber).ToArray();
        Assert.Equal(2, attempts.Length);
        Assert.Equal(WebhookDeliveryStore.NoAnswerRecorded, attempts[0].Error);
        Assert.Equal(204, attempts[1].StatusCode);
    }

    [Fact]
    public async Task A_dispatcher_stopped_gracefully_mid_attempt_finishes_and_records_it()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { delay = "00:00:02" });
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));
        var dispatcher = await DispatcherHost.StartAsync(db);
        await Eventually.ReturnsAsync(
            () => WebhookTestData.LoadDeliveryAsync(db, queued.WebhookId),
            d => d.Attempts.Count == 1,
            "the first attempt is claimed");

        await dispatcher.DisposeAsync();

        var delivery = await WebhookTestData.LoadDeliveryAsync(db, queued.WebhookId);
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivery.Status);
        Assert.Equal(204, Assert.Single(delivery.Attempts).StatusCode);
    }

    [Fact]
    public async Task Two_dispatchers_on_one_database_never_send_the_same_attempt_twice()
    {
        const int Count = 30;
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: _secret);
        var queued = new List<string>();
        for (var i = 0; i < Count; i++)
        {
            queued.Add((await WebhookTestData.AddCallWithDeliveryAsync(db, WebhookTestData.NewProcessedCall(business.Id)))!.WebhookId);
        }

        var small = new Dictionary<string, string?> { ["Webhooks:Dispatcher:BatchSize"] = "3" };
        await using var first = await DispatcherHost.StartAsync(db, small);
        await using var second = await DispatcherHost.StartAsync(db, small);
        await Eventually.ReturnsAsync(
            async () =>
            {
                await using var check = WebhookTestData.OpenDb(db);
                return await check.WebhookDeliveries.CountAsync(d => d.Status == WebhookDeliveryStatus.Delivered);
            },
            delivered => delivered == Count,
            "every delivery is delivered");

        var received = await receiver.ListAsync("demo");
        Assert.Equal(queued.Order(), received.Select(r => r.Id).Order());
        Assert.All(received, r => Assert.Equal(1, r.AttemptsSeen));
        await using var attempts = WebhookTestData.OpenDb(db);
        Assert.Equal(Count, await attempts.WebhookAttempts.CountAsync());
    }

    [Fact]
    public async Task Inbound_and_outbound_calls_reach_their_own_urls()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["inbound", "outbound"]);
        var business = await WebhookTestData.AddBusinessAsync(db, receiver.HookUrl("inbound"), receiver.HookUrl("outbound"), secret: _secret);
        var inboundCall = WebhookTestData.NewProcessedCall(business.Id, CallDirection.Inbound);
        var outboundCall = WebhookTestData.NewProcessedCall(business.Id, CallDirection.Outbound);
        var inbound = await WebhookTestData.AddCallWithDeliveryAsync(db, inboundCall);
        var outbound = await WebhookTestData.AddCallWithDeliveryAsync(db, outboundCall);

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        await WaitForStatusAsync(db, inbound!.WebhookId, WebhookDeliveryStatus.Delivered);
        await WaitForStatusAsync(db, outbound!.WebhookId, WebhookDeliveryStatus.Delivered);

        var atInbound = Assert.Single(await receiver.ListAsync("inbound"));
        var atOutbound = Assert.Single(await receiver.ListAsync("outbound"));
        Assert.Equal(inboundCall.CallSid, JsonNode.Parse(atInbound.Body)!["call_sid"]!.GetValue<string>());
        Assert.Equal(outboundCall.CallSid, JsonNode.Parse(atOutbound.Body)!["call_sid"]!.GetValue<string>());
        Assert.Equal("outbound", JsonNode.Parse(atOutbound.Body)!["direction"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_business_without_a_valid_secret_gets_a_failed_delivery_with_the_reason_and_nothing_is_sent()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: "prosaas-webhook-secret-key");
        var queued = await WebhookTestData.AddCallWithDeliveryAsync(db, WebhookTestData.NewProcessedCall(business.Id));

        await using var dispatcher = await DispatcherHost.StartAsync(db);
        var delivery = await WaitForStatusAsync(db, queued!.WebhookId, WebhookDeliveryStatus.Failed);

        Assert.Contains("signing secret", delivery.LastError);
        Assert.Empty(delivery.Attempts);
        Assert.Empty(await receiver.ListAsync("demo"));
    }

    [Fact]
    public async Task Outside_development_a_delivery_to_a_loopback_url_is_failed_with_the_reason_and_nothing_is_sent()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var queued = await QueueAsync(db, receiver.HookUrl("demo"));

        await using var dispatcher = await DispatcherHost.StartAsync(db, environment: "Production");
        var delivery = await WaitForStatusAsync(db, queued.WebhookId, WebhookDeliveryStatus.Failed);

        Assert.StartsWith("target URL refused: The URL must use https.", delivery.LastError);
        Assert.Empty(delivery.Attempts);
        Assert.Empty(await receiver.ListAsync("demo"));
    }

    [Fact]
    public async Task A_delivery_committed_beside_an_idle_dispatcher_is_sent_when_its_process_signals_it_not_at_the_next_poll()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var first = await QueueAsync(db, receiver.HookUrl("demo"));
        await using var dispatcher = await DispatcherHost.StartAsync(db, new Dictionary<string, string?> { ["Webhooks:Dispatcher:PollInterval"] = "00:10:00" });
        // Once the first delivery is sent the dispatcher idles for its poll interval: ten minutes.
        await WaitForStatusAsync(db, first.WebhookId, WebhookDeliveryStatus.Delivered);

        var second = await QueueAsync(db, receiver.HookUrl("demo"));
        dispatcher.Services.GetRequiredService<WebhookDispatchSignal>().Notify();

        var delivered = await WaitForStatusAsync(db, second.WebhookId, WebhookDeliveryStatus.Delivered);
        Assert.Equal(204, Assert.Single(delivered.Attempts).StatusCode);
    }

    private async Task<WebhookDelivery> QueueAsync(string db, string url)
    {
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: url, secret: _secret);
        return (await WebhookTestData.AddCallWithDeliveryAsync(db, WebhookTestData.NewProcessedCall(business.Id)))!;
    }

    private static Task<WebhookDelivery> WaitForStatusAsync(string db, string webhookId, WebhookDeliveryStatus status) =>
        Eventually.ReturnsAsync(() => WebhookTestData.LoadDeliveryAsync(db, webhookId), d => d.Status == status, $"{webhookId} is {status}");
}
