using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks.Operator;
using CallPipeline.Webhooks.Signing;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Hosting;

namespace CallPipeline.Tests.Webhooks;

/// <summary>
/// The operator's webhook endpoints: <c>POST /api/calls/{callSid}/webhooks/redeliver</c> (the same payload under the same
/// webhook-id, again), <c>GET /api/calls/{callSid}/webhooks</c> (every attempt) and <c>GET /api/businesses/{id}/webhooks</c>
/// (a business's latest deliveries, failing ones first).
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class WebhookOperatorApiTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private readonly string _secret = WebhookSecret.Generate();

    [Fact]
    public async Task Redelivering_a_delivered_webhook_sends_the_same_id_and_body_again_and_the_receiver_keeps_one()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: _secret);
        var call = WebhookTestData.NewProcessedCall(business.Id);
        var queued = await WebhookTestData.AddCallWithDeliveryAsync(db, call);
        await using var dispatcher = await DispatcherHost.StartAsync(db);
        await WaitForAsync(db, queued!.WebhookId, d => d.Status == WebhookDeliveryStatus.Delivered);
        await using var operatorApi = await OperatorApi.StartAsync(db);

        using var response = await operatorApi.Client.PostAsync($"/api/calls/{call.CallSid}/webhooks/redeliver", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(queued.WebhookId, body.GetProperty("webhooks")[0].GetProperty("webhookId").GetString());
        var delivery = await WaitForAsync(db, queued.WebhookId, d => d.Status == WebhookDeliveryStatus.Delivered && d.Attempts.Count == 2);
        Assert.All(delivery.Attempts, a => Assert.Equal(204, a.StatusCode));
        var received = Assert.Single(await receiver.ListAsync("demo"));
        Assert.Equal(queued.WebhookId, received.Id);
        Assert.Equal(queued.Payload, received.Body);
        Assert.Equal(2, received.AttemptsSeen);
    }

    [Fact]
    public async Task Redelivering_a_failed_webhook_starts_a_fresh_schedule_and_delivers_once_the_endpoint_recovers()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { failureRate = 1.0, statusCode = 500 });
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: _secret);
        var call = WebhookTestData.NewProcessedCall(business.Id);
        var queued = await WebhookTestData.AddCallWithDeliveryAsync(db, call);
        await using var dispatcher = await DispatcherHost.StartAsync(db);
        await WaitForAsync(db, queued!.WebhookId, d => d.Status == WebhookDeliveryStatus.Failed);
        await receiver.ClearFaultsAsync();
        await using var operatorApi = await OperatorApi.StartAsync(db);

        using var response = await operatorApi.Client.PostAsync($"/api/calls/{call.CallSid}/webhooks/redeliver?eventType=call.completed", null);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var delivery = await WaitForAsync(db, queued.WebhookId, d => d.Status == WebhookDeliveryStatus.Delivered);
        // Five failed attempts of the first round stay on record, numbered on by the redelivery.
        Assert.Equal([1, 2, 3, 4, 5, 6], delivery.Attempts.Select(a => a.AttemptNumber).Order());
        Assert.Equal(204, delivery.Attempts.Single(a => a.AttemptNumber == 6).StatusCode);
        Assert.Equal(1, delivery.AttemptCount);
    }

    [Fact]
    public async Task Redelivering_for_an_unknown_call_or_a_call_without_webhooks_is_404()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(db);
        var quietCall = WebhookTestData.NewProcessedCall(business.Id);
        Assert.Null(await WebhookTestData.AddCallWithDeliveryAsync(db, quietCall));
        await using var operatorApi = await OperatorApi.StartAsync(db);

        using var unknown = await operatorApi.Client.PostAsync("/api/calls/CA00000000000000000000000000000000/webhooks/redeliver", null);
        using var quiet = await operatorApi.Client.PostAsync($"/api/calls/{quietCall.CallSid}/webhooks/redeliver", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, quiet.StatusCode);
    }

    [Fact]
    public async Task The_operator_sees_every_attempt_of_a_calls_webhooks()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        await using var receiver = ReceiverServer.Start(_secret, ["demo"]);
        await receiver.SetFaultsAsync(new { failFirstAttempts = 1, statusCode = 500 });
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: receiver.HookUrl("demo"), secret: _secret);
        var call = WebhookTestData.NewProcessedCall(business.Id);
        var queued = await WebhookTestData.AddCallWithDeliveryAsync(db, call);
        await using var dispatcher = await DispatcherHost.StartAsync(db);
        await WaitForAsync(db, queued!.WebhookId, d => d.Status == WebhookDeliveryStatus.Delivered);
        await using var operatorApi = await OperatorApi.StartAsync(db);

        var deliveries = await operatorApi.Client.GetFromJsonAsync<JsonElement>($"/api/calls/{call.CallSid}/webhooks");
        using var unknown = await operatorApi.Client.GetAsync("/api/calls/CA00000000000000000000000000000000/webhooks");

        var delivery = Assert.Single(deliveries.EnumerateArray());
        Assert.Equal(queued.WebhookId, delivery.GetProperty("webhookId").GetString());
        Assert.Equal("delivered", delivery.GetProperty("status").GetString());
        Assert.Equal([500, 204], delivery.GetProperty("attempts").EnumerateArray().Select(a => a.GetProperty("statusCode").GetInt32()));
        Assert.Equal("HTTP 500", delivery.GetProperty("attempts")[0].GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    [Fact]
    public async Task A_business_webhooks_list_puts_failing_deliveries_first_then_newest_first()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(db, genericUrl: "https://hooks.example.com/calls");
        var other = await WebhookTestData.AddBusinessAsync(db, genericUrl: "https://hooks.example.com/other");
        var now = DateTimeOffset.UtcNow;
        var delivered = await AddDeliveryAsync(db, business.Id, WebhookDeliveryStatus.Delivered, null, now.AddMinutes(-40));
        var gaveUp = await AddDeliveryAsync(db, business.Id, WebhookDeliveryStatus.Failed, "gave up after 8 attempts; last: HTTP 500", now.AddMinutes(-30));
        var retrying = await AddDeliveryAsync(db, business.Id, WebhookDeliveryStatus.Pending, "HTTP 503", now.AddMinutes(-20));
        var waiting = await AddDeliveryAsync(db, business.Id, WebhookDeliveryStatus.Pending, null, now.AddMinutes(-10));
        var disabled = await AddDeliveryAsync(db, business.Id, WebhookDeliveryStatus.Disabled, "HTTP 410", now.AddMinutes(-50));
        await AddDeliveryAsync(db, other.Id, WebhookDeliveryStatus.Failed, "HTTP 500", now);
        await using (var context = WebhookTestData.OpenDb(db))
        {
            context.WebhookAttempts.Add(new WebhookAttempt { WebhookDeliveryId = retrying.Delivery.Id, AttemptNumber = 1, AttemptedAt = now.AddMinutes(-19), StatusCode = 503, LatencyMs = 12, Error = "HTTP 503" });
            await context.SaveChangesAsync();
        }
        await using var operatorApi = await OperatorApi.StartAsync(db);

        var all = await operatorApi.Client.GetFromJsonAsync<JsonElement>($"/api/businesses/{business.Id}/webhooks");
        var two = await operatorApi.Client.GetFromJsonAsync<JsonElement>($"/api/businesses/{business.Id}/webhooks?limit=2");

        Assert.Equal(
            [retrying.CallSid, gaveUp.CallSid, disabled.CallSid, waiting.CallSid, delivered.CallSid],
            all.EnumerateArray().Select(d => d.GetProperty("callSid").GetString()));
        Assert.Equal([true, true, true, false, false], all.EnumerateArray().Select(d => d.GetProperty("failing").GetBoolean()));
        var first = all[0].GetProperty("delivery");
        Assert.Equal(retrying.Delivery.WebhookId, first.GetProperty("webhookId").GetString());
        Assert.Equal("pending", first.GetProperty("status").GetString());
        Assert.Equal("HTTP 503", first.GetProperty("lastError").GetString());
        Assert.Equal(503, Assert.Single(first.GetProperty("attempts").EnumerateArray()).GetProperty("statusCode").GetInt32());
        Assert.Equal(["pending", "failed", "disabled", "pending", "delivered"], all.EnumerateArray().Select(d => d.GetProperty("delivery").GetProperty("status").GetString()));
        Assert.Equal([retrying.CallSid, gaveUp.CallSid], two.EnumerateArray().Select(d => d.GetProperty("callSid").GetString()));
    }

    [Fact]
    public async Task A_business_webhooks_list_is_404_for_an_unknown_business_and_400_naming_a_bad_limit()
    {
        var db = await infrastructure.CreateDatabaseAsync();
        var business = await WebhookTestData.AddBusinessAsync(db);
        await using var operatorApi = await OperatorApi.StartAsync(db);

        using var unknown = await operatorApi.Client.GetAsync($"/api/businesses/{business.Id + 1000}/webhooks");
        using var empty = await operatorApi.Client.GetAsync($"/api/businesses/{business.Id}/webhooks?limit=200");

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal("Business not found", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("title").GetString());
        Assert.Equal(HttpStatusCode.OK, empty.StatusCode);
        Assert.Empty((await empty.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray());
        foreach (var limit in new[] { "0", "201", "-1", "twenty", "1.5", "99999999999" })
        {
            using var response = await operatorApi.Client.GetAsync($"/api/businesses/{business.Id}/webhooks?limit={limit}");
            var problem = await ErrorResponses.AssertProblemAsync(response, 400);
            Assert.True(problem.GetProperty("errors").TryGetProperty("limit", out _), $"limit={limit}: {problem}");
        }
    }

    /// <summary>A processed call of the business with a call.completed delivery in the given state, created at <paramref name="createdAt"/>.</summary>
    private static async Task<(string CallSid, WebhookDelivery Delivery)> AddDeliveryAsync(
        string db, int businessId, WebhookDeliveryStatus status, string? lastError, DateTimeOffset createdAt)
    {
        var call = WebhookTestData.NewProcessedCall(businessId);
        var delivery = (await WebhookTestData.AddCallWithDeliveryAsync(db, call))!;
        await using var context = WebhookTestData.OpenDb(db);
        await context.WebhookDeliveries.Where(d => d.Id == delivery.Id).ExecuteUpdateAsync(set => set
            .SetProperty(d => d.Status, status)
            .SetProperty(d => d.LastError, lastError)
            .SetProperty(d => d.CreatedAt, createdAt));
        return (call.CallSid, delivery);
    }

    private static Task<WebhookDelivery> WaitForAsync(string db, string webhookId, Func<WebhookDelivery, bool> condition) =>
        Eventually.ReturnsAsync(() => WebhookTestData.LoadDeliveryAsync(db, webhookId), condition, $"{webhookId} reaches the expected state");

    /// <summary>The operator API group as the voice gateway maps it (<c>/api</c>), minus the API key, which is the gateway's.</summary>
    private sealed class OperatorApi(WebApplication app) : IAsyncDisposable
    {
        public HttpClient Client { get; } = app.GetTestClient();

        public static async Task<OperatorApi> StartAsync(string connectionString)
        {
            var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = Environments.Development });
            builder.WebHost.UseTestServer();
            builder.Configuration["ConnectionStrings:callsdb"] = connectionString;
            builder.AddNpgsqlDbContext<CallPipelineDbContext>("callsdb", configureDbContextOptions: options => options.UseCallPipelineConventions());
            var app = builder.Build();
            app.MapGroup("/api").MapWebhookRedeliveryApi().MapWebhookDeliveriesApi();
            app.MapGroup("/api/businesses").MapBusinessWebhooksApi();
            await app.StartAsync();
            return new OperatorApi(app);
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await app.DisposeAsync();
        }
    }
}
