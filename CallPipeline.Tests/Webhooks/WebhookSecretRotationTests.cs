using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks.Signing;
using Microsoft.EntityFrameworkCore;

namespace CallPipeline.Tests.Webhooks;

/// <summary>
/// <c>POST /api/businesses/{id}/webhook-secret/rotate</c>: a new secret shown once, deliveries signed with the new and the
/// old secret during the grace period (Standard Webhooks' space-separated signatures), then with the new one only.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class WebhookSecretRotationTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private const string Hook = "shop";

    [Fact]
    public async Task A_rotated_secret_reaches_the_business_without_a_failed_delivery_and_the_old_one_stops_signing_after_the_grace_period()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var receiverPort = FreePort.Next();
        var (businessId, oldSecret) = await CreateBusinessAsync(voice, $"http://127.0.0.1:{receiverPort}/hooks/{Hook}");
        await using var receiver = ReceiverServer.Start(oldSecret, [Hook], receiverPort);
        await using var dispatcher = await DispatcherHost.StartAsync(voice.Database);

        using var rotate = await voice.Operator.PostAsync($"/api/businesses/{businessId}/webhook-secret/rotate", null);
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>();
        var newSecret = rotated.GetProperty("webhookSecret").GetString()!;
        var business = await voice.Operator.GetStringAsync($"/api/businesses/{businessId}");

        // In the grace period the receiver, still on the old secret, accepts: the delivery carries both signatures.
        var during = await DeliverAsync(voice, receiver, businessId, 1);
        // The business switches its endpoint to the new secret; then the grace period ends.
        await receiver.SetSecretAsync(Hook, newSecret);
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            await db.Businesses.Where(b => b.Id == businessId)
                .ExecuteUpdateAsync(set => set.SetProperty(b => b.PreviousWebhookSecretExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-1)));
        }
        var after = await DeliverAsync(voice, receiver, businessId, 2);

        Assert.Equal(HttpStatusCode.OK, rotate.StatusCode);
        Assert.NotEqual(oldSecret, newSecret);
        Assert.True(WebhookSecret.TryParse(newSecret, out _));
        var validUntil = rotated.GetProperty("previousSecretValidUntil").GetDateTimeOffset();
        Assert.InRange(validUntil, DateTimeOffset.UtcNow.AddHours(23), DateTimeOffset.UtcNow.AddHours(25));
        Assert.DoesNotContain(newSecret, business, StringComparison.Ordinal);
        Assert.DoesNotContain(oldSecret, business, StringComparison.Ordinal);
        Assert.Contains("previousWebhookSecretValidUntil", business, StringComparison.Ordinal);

        Assert.Equal(2, Signatures(during).Length);
        Assert.True(Verifies(during, newSecret));
        Assert.True(Verifies(during, oldSecret));
        Assert.Single(Signatures(after));
        Assert.True(Verifies(after, newSecret));
        Assert.False(Verifies(after, oldSecret));

        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            var attempts = await db.WebhookAttempts.AsNoTracking().ToListAsync();
            Assert.Equal(2, attempts.Count);
            Assert.All(attempts, a => Assert.Equal(204, a.StatusCode));
        }
        var logs = voice.Logs.Lines.Concat(dispatcher.Logs.Lines).ToList();
        Assert.DoesNotContain(logs, l => l.Contains(newSecret, StringComparison.Ordinal) || l.Contains(oldSecret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_grace_period_a_receiver_on_the_old_secret_refuses_the_next_delivery()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["Webhooks:SecretRotation:GracePeriod"] = "00:00:00" });
        var receiverPort = FreePort.Next();
        var (businessId, oldSecret) = await CreateBusinessAsync(voice, $"http://127.0.0.1:{receiverPort}/hooks/{Hook}");
        await using var receiver = ReceiverServer.Start(oldSecret, [Hook], receiverPort);
        await using var dispatcher = await DispatcherHost.StartAsync(voice.Database);

        using var rotate = await voice.Operator.PostAsync($"/api/businesses/{businessId}/webhook-secret/rotate", null);
        var rotated = await rotate.Content.ReadFromJsonAsync<JsonElement>();
        var delivery = await WebhookTestData.AddCallWithDeliveryAsync(voice.Database, WebhookTestData.NewProcessedCall(businessId));
        var refused = await Eventually.ReturnsAsync(
            () => WebhookTestData.LoadDeliveryAsync(voice.Database, delivery!.WebhookId), d => d.LastStatusCode is not null, "the first attempt is answered");

        Assert.Equal(JsonValueKind.Null, rotated.GetProperty("previousSecretValidUntil").ValueKind);
        Assert.Equal(401, refused.LastStatusCode);
        Assert.Empty(await receiver.ListAsync(Hook));
    }

    [Fact]
    public async Task Rotating_an_unknown_business_is_404_and_without_the_api_key_401()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        using var unknown = await voice.Operator.PostAsync("/api/businesses/424242/webhook-secret/rotate", null);
        using var anonymous = await voice.Client.PostAsync("/api/businesses/424242/webhook-secret/rotate", null);

        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    private static async Task<(int Id, string Secret)> CreateBusinessAsync(VoiceHost voice, string hookUrl)
    {
        using var response = await voice.Operator.PostAsJsonAsync("/api/businesses", new
        {
            name = "Rotating plumbing",
            phoneNumbers = new[] { "+97235550100" },
            genericWebhookUrl = hookUrl,
        });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("business").GetProperty("id").GetInt32(), body.GetProperty("webhookSecret").GetString()!);
    }

    /// <summary>A processed call's call.completed, as the worker writes it; returns it as the receiver accepted it.</summary>
    private static async Task<ReceivedWebhookView> DeliverAsync(VoiceHost voice, ReceiverServer receiver, int businessId, int expectedCount)
    {
        var delivery = await WebhookTestData.AddCallWithDeliveryAsync(voice.Database, WebhookTestData.NewProcessedCall(businessId, CallDirection.Inbound));
        var received = await Eventually.ReturnsAsync(() => receiver.ListAsync(Hook), list => list.Count == expectedCount, $"{expectedCount} webhook(s) arrived");
        // The receiver answers before the dispatcher records the answer; the attempt is checked later, so wait for it too.
        await Eventually.ReturnsAsync(
            () => WebhookTestData.LoadDeliveryAsync(voice.Database, delivery!.WebhookId), d => d.LastStatusCode is not null, "the answer is recorded");
        return Assert.Single(received, r => r.Id == delivery!.WebhookId);
    }

    private static string[] Signatures(ReceivedWebhookView webhook) =>
        webhook.Headers[StandardWebhookHeaders.Signature].Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static bool Verifies(ReceivedWebhookView webhook, string secret) =>
        StandardWebhookVerifier.Verify(
            webhook.Id, webhook.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture), webhook.Headers[StandardWebhookHeaders.Signature],
            webhook.Body, [WebhookSecret.Parse(secret)], DateTimeOffset.UtcNow, StandardWebhookVerifier.DefaultTolerance) == WebhookVerificationResult.Valid;
}
