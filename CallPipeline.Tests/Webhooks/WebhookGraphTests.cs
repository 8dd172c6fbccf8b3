using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Aspire.Hosting.Testing;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Graph;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Tests.Webhooks;

/// <summary>In the running graph: the worker's dispatcher delivers to the webhook-receiver, which verifies the signature.</summary>
[Collection(GraphCollection.Name)]
[Trait("Category", "Graph")]
public sealed class WebhookGraphTests(GraphFixture graph)
{
    private const string DemoBusinessPhone = "+97235550100";

    [Fact]
    public async Task Demo_business_webhooks_reach_the_receiver_at_the_url_for_each_call_direction()
    {
        var connectionString = await graph.App.GetConnectionStringAsync("callsdb")
            ?? throw new InvalidOperationException("callsdb has no connection string.");
        int businessId;
        await using (var db = WebhookTestData.OpenDb(connectionString))
        {
            businessId = (await db.Businesses.SingleAsync(b => b.PhoneE164 == DemoBusinessPhone)).Id;
        }
        var inboundCall = WebhookTestData.NewProcessedCall(businessId, CallDirection.Inbound);
        var outboundCall = WebhookTestData.NewProcessedCall(businessId, CallDirection.Outbound);
        var inbound = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, inboundCall);
        var outbound = await WebhookTestData.AddCallWithDeliveryAsync(connectionString, outboundCall);
        using var receiver = graph.App.CreateHttpClient("webhook-receiver");

        var atInbound = await WaitForCallAsync(receiver, "demo-inbound", inboundCall.CallSid);
        var atOutbound = await WaitForCallAsync(receiver, "demo-outbound", outboundCall.CallSid);

        Assert.Equal(inbound!.WebhookId, atInbound.GetProperty("id").GetString());
        Assert.Equal(outbound!.WebhookId, atOutbound.GetProperty("id").GetString());
        Assert.Equal(CallWebhooks.CallCompleted, JsonNode.Parse(atInbound.GetProperty("body").GetString()!)!["event_type"]!.GetValue<string>());
        await Eventually.ReturnsAsync(
            () => Task.FromResult(graph.Logs.GetLines("worker").Select(l => l.Text).ToList()),
            lines => lines.Any(l => l.Contains($"for call {inboundCall.CallSid} attempt 1: delivered")),
            "the worker logs the delivered attempt");
    }

    // The receiver lists only what passed signature verification, so finding the call there proves a valid signature.
    private static Task<JsonElement> WaitForCallAsync(HttpClient receiver, string hook, string callSid) =>
        Eventually.ReturnsAsync(
            async () => (await receiver.GetFromJsonAsync<JsonElement[]>($"/hooks/{hook}") ?? [])
                .FirstOrDefault(w => JsonNode.Parse(w.GetProperty("body").GetString()!)!["call_sid"]!.GetValue<string>() == callSid),
            w => w.ValueKind == JsonValueKind.Object,
            $"{hook} received the webhook of {callSid}");
}
