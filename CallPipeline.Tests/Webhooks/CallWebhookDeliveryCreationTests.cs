using System.Text.Json.Nodes;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CallPipeline.Tests.Webhooks;

[Trait("Category", "Infrastructure")]
public sealed class CallWebhookDeliveryCreationTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task A_processed_call_gets_one_pending_delivery_with_a_msg_id_and_a_schema_valid_payload()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, inboundUrl: "https://hooks.example.com/in");
        var call = WebhookTestData.NewProcessedCall(business.Id);

        var created = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, call);

        Assert.NotNull(created);
        var delivery = await WebhookTestData.LoadDeliveryAsync(connectionString, created.WebhookId);
        Assert.Matches("^msg_[0-9A-Za-z]{24}$", delivery.WebhookId);
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.Equal("https://hooks.example.com/in", delivery.TargetUrl);
        Assert.Equal(CallWebhooks.CallCompleted, delivery.EventType);
        CallWebhookPayloadSchemaTests.AssertValid(delivery.Payload);
        Assert.Equal(call.CallSid, JsonNode.Parse(delivery.Payload)!["call_sid"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_payload_carries_hebrew_text_and_phone_numbers_as_plain_utf8()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, inboundUrl: "https://hooks.example.com/in");
        var call = WebhookTestData.NewProcessedCall(business.Id);

        var created = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, call);

        var payload = (await WebhookTestData.LoadDeliveryAsync(connectionString, created!.WebhookId)).Payload;
        Assert.Contains($"\"transcript\":\"{call.FinalTranscript}\"", payload);
        Assert.Contains($"\"from\":\"{call.FromNumber}\"", payload);
        Assert.DoesNotContain("\\u", payload);
    }

    [Fact]
    public async Task Adding_the_same_event_again_returns_the_existing_delivery_before_and_after_saving()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, genericUrl: "https://hooks.example.com/any");
        var call = WebhookTestData.NewProcessedCall(business.Id);

        await using (var db = WebhookTestData.OpenDb(connectionString))
        {
            db.CallLogs.Add(call);
            var first = await CallWebhooks.AddDeliveryAsync(db, call, CallWebhooks.CallCompleted, CancellationToken.None);
            var unsavedRepeat = await CallWebhooks.AddDeliveryAsync(db, call, CallWebhooks.CallCompleted, CancellationToken.None);
            Assert.Same(first, unsavedRepeat);
            await db.SaveChangesAsync();
        }

        await using (var db = WebhookTestData.OpenDb(connectionString))
        {
            var reloaded = await db.CallLogs.SingleAsync(c => c.CallSid == call.CallSid);
            var savedRepeat = await CallWebhooks.AddDeliveryAsync(db, reloaded, CallWebhooks.CallCompleted, CancellationToken.None);
            await db.SaveChangesAsync();
            Assert.NotNull(savedRepeat);
        }

        await using var check = WebhookTestData.OpenDb(connectionString);
        Assert.Equal(1, await check.WebhookDeliveries.CountAsync());
    }

    [Fact]
    public async Task The_database_refuses_a_second_delivery_for_the_same_call_and_event()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, genericUrl: "https://hooks.example.com/any");
        var call = WebhookTestData.NewProcessedCall(business.Id);
        var first = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, call);

        await using var db = WebhookTestData.OpenDb(connectionString);
        db.WebhookDeliveries.Add(new WebhookDelivery
        {
            WebhookId = CallWebhooks.NewWebhookId(),
            CallLogId = first!.CallLogId,
            BusinessId = business.Id,
            EventType = CallWebhooks.CallCompleted,
            TargetUrl = "https://hooks.example.com/any",
            Payload = "{}",
        });

        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
    }

    [Fact]
    public async Task A_completed_and_a_missed_event_are_separate_deliveries_of_one_call()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, genericUrl: "https://hooks.example.com/any");
        var call = WebhookTestData.NewProcessedCall(business.Id);

        await using var db = WebhookTestData.OpenDb(connectionString);
        db.CallLogs.Add(call);
        var completed = await CallWebhooks.AddDeliveryAsync(db, call, CallWebhooks.CallCompleted, CancellationToken.None);
        var missed = await CallWebhooks.AddDeliveryAsync(db, call, CallWebhooks.CallMissed, CancellationToken.None);
        await db.SaveChangesAsync();

        Assert.NotEqual(completed!.WebhookId, missed!.WebhookId);
    }

    [Theory]
    [InlineData(CallDirection.Inbound, "https://hooks.example.com/in", "https://hooks.example.com/out", "https://hooks.example.com/any", "https://hooks.example.com/in")]
    [InlineData(CallDirection.Outbound, "https://hooks.example.com/in", "https://hooks.example.com/out", "https://hooks.example.com/any", "https://hooks.example.com/out")]
    [InlineData(CallDirection.Outbound, "https://hooks.example.com/in", null, "https://hooks.example.com/any", "https://hooks.example.com/any")]
    [InlineData(CallDirection.Inbound, null, "https://hooks.example.com/out", "https://hooks.example.com/any", "https://hooks.example.com/any")]
    [InlineData(CallDirection.Unknown, "https://hooks.example.com/in", null, null, "https://hooks.example.com/in")]
    public async Task The_target_follows_the_call_direction_and_falls_back_to_the_generic_url(
        CallDirection direction, string? inbound, string? outbound, string? generic, string expected)
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, inbound, outbound, generic);

        var delivery = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, WebhookTestData.NewProcessedCall(business.Id, direction));

        Assert.Equal(expected, delivery!.TargetUrl);
    }

    [Fact]
    public async Task No_delivery_is_created_when_the_business_has_no_url_for_the_call_or_webhooks_are_off()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var inboundOnly = await WebhookTestData.AddBusinessAsync(connectionString, inboundUrl: "https://hooks.example.com/in");
        var turnedOff = await WebhookTestData.AddBusinessAsync(connectionString, genericUrl: "https://hooks.example.com/any", enabled: false);

        var outboundCall = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, WebhookTestData.NewProcessedCall(inboundOnly.Id, CallDirection.Outbound));
        var offCall = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, WebhookTestData.NewProcessedCall(turnedOff.Id));

        Assert.Null(outboundCall);
        Assert.Null(offCall);
        await using var db = WebhookTestData.OpenDb(connectionString);
        Assert.Equal(2, await db.CallLogs.CountAsync());
        Assert.Equal(0, await db.WebhookDeliveries.CountAsync());
    }

    [Fact]
    public async Task Queuing_logs_the_phrase_the_graph_tests_look_for_without_the_transcript()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, genericUrl: "https://hooks.example.com/any");
        var call = WebhookTestData.NewProcessedCall(business.Id);
        var logs = new CapturedLogs();
        using var loggerFactory = LoggerFactory.Create(logging => logging.AddProvider(logs));

        await using (var db = WebhookTestData.OpenDb(connectionString, loggerFactory))
        {
            db.CallLogs.Add(call);
            await CallWebhooks.AddDeliveryAsync(db, call, CallWebhooks.CallCompleted, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        Assert.Contains(logs.Lines, line => line.Contains($"Webhook queued for call {call.CallSid}"));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(call.FinalTranscript!));
    }

    [Fact]
    public async Task Queuing_through_the_services_registered_context_logs_to_the_application_logs()
    {
        var connectionString = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(connectionString, genericUrl: "https://hooks.example.com/any");
        var call = WebhookTestData.NewProcessedCall(business.Id);
        await using var host = DispatcherHost.Create(connectionString);

        using (var scope = host.Services.CreateScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
            db.CallLogs.Add(call);
            await CallWebhooks.AddDeliveryAsync(db, call, CallWebhooks.CallCompleted, CancellationToken.None);
            await db.SaveChangesAsync();
        }

        Assert.Contains(host.Logs.Lines, line => line.Contains($"Webhook queued for call {call.CallSid}"));
    }
}
