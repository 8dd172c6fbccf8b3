using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Data.DeadLetters;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Tests.Worker.Support;
using CallPipeline.Webhooks.Signing;
using Microsoft.EntityFrameworkCore;
using StackExchange.Redis;

namespace CallPipeline.Tests.DeadLetters;

/// <summary>
/// <c>/api/dead-letters</c>: recording jobs that ran out of deliveries and webhook deliveries that gave up are listed with
/// their call, reason, attempts and failure times; a replay queues the work once however often it is asked, processes
/// the call once under one webhook-id per event; bulk replay by business and time; delete.
/// </summary>
[Trait("Category", "Infrastructure")]
public sealed class DeadLetterTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    private static readonly Dictionary<string, string> GiveUpFast = new()
    {
        ["Worker:ClaimIdleTime"] = "00:00:02",
        ["Worker:ClaimCheckInterval"] = "00:00:00.200",
        ["Worker:MaxDeliveries"] = "2",
    };

    [Fact]
    public async Task A_job_that_ran_out_of_deliveries_is_listed_and_replaying_it_twice_at_once_processes_the_call_once_with_one_webhook_id()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        env.OpenAi.Transcribe = _ => null;
        env.OpenAi.Failure = (503, "The engine is currently overloaded.");
        var business = await env.AddBusinessAsync();
        await using var worker = WorkerHost.Start(env, "worker-a", GiveUpFast);
        await using var voice = await env.StartRelayAsync();
        await worker.WaitForStartupRecoveryAsync();
        var call = await env.AddRecordedCallAsync(business.Id);
        await env.EnqueueAsync(call);
        await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Failed);

        var letter = Assert.Single(await ListAsync(voice, "?kind=recording_job"));
        env.OpenAi.Transcribe = request => $"שלום, אני צריך אינסטלטור בחיפה. {request.FileName}";
        var outboxBefore = (await env.OutboxAsync()).Count;
        var id = letter.GetProperty("id").GetInt64();
        var replays = await Task.WhenAll(ReplayAsync(voice, id), ReplayAsync(voice, id), ReplayAsync(voice, id));
        var processed = await env.WaitForStatusAsync(call.CallSid, PipelineStatus.Processed);
        using var again = await voice.Operator.PostAsync($"/api/dead-letters/{id}/replay", null);
        var replayed = await voice.Operator.GetFromJsonAsync<JsonElement>($"/api/dead-letters/{id}");

        Assert.Equal("open", letter.GetProperty("status").GetString());
        Assert.Equal(call.CallSid, letter.GetProperty("callSid").GetString());
        Assert.Equal(business.Id, letter.GetProperty("businessId").GetInt32());
        Assert.Equal(call.RecordingSid, letter.GetProperty("recordingSid").GetString());
        Assert.Equal(2, letter.GetProperty("attempts").GetInt32());
        Assert.StartsWith("gave up after 2 deliveries: transcription failed", letter.GetProperty("reason").GetString());
        Assert.True(letter.GetProperty("firstFailedAt").GetDateTimeOffset() < letter.GetProperty("lastFailedAt").GetDateTimeOffset());

        Assert.All(replays, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Equal(outboxBefore + 1, (await env.OutboxAsync()).Count);
        Assert.Equal(3, processed.ProcessingAttempts);
        Assert.Single(processed.WebhookDeliveries);
        Assert.Equal("replayed", replayed.GetProperty("status").GetString());
        Assert.Equal(1, replayed.GetProperty("replayCount").GetInt32());
    }

    [Fact]
    public async Task A_delivery_that_gave_up_is_listed_and_its_replay_is_sent_under_its_own_webhook_id_once()
    {
        var database = await infrastructure.CreateDatabaseAsync();
        var secret = WebhookSecret.Generate();
        await using var receiver = ReceiverServer.Start(secret, ["shop"]);
        await receiver.SetFaultsAsync(new { failureRate = 1.0, statusCode = 500 });
        var business = await WebhookTestData.AddBusinessAsync(database, genericUrl: receiver.HookUrl("shop"), secret: secret);
        var delivery = await WebhookTestData.AddCallWithDeliveryAsync(database, WebhookTestData.NewProcessedCall(business.Id));
        await using var dispatcher = await DispatcherHost.StartAsync(database);
        await Eventually.ReturnsAsync(() => WebhookTestData.LoadDeliveryAsync(database, delivery!.WebhookId), d => d.Status == WebhookDeliveryStatus.Failed, "the delivery gives up");
        await using var voice = await VoiceHost.StartAsync(infrastructure, database: database);

        var letter = Assert.Single(await ListAsync(voice, "?kind=webhook_delivery&status=open"));
        await receiver.ClearFaultsAsync();
        var id = letter.GetProperty("id").GetInt64();
        var replays = await Task.WhenAll(ReplayAsync(voice, id), ReplayAsync(voice, id));
        var delivered = await Eventually.ReturnsAsync(
            () => WebhookTestData.LoadDeliveryAsync(database, delivery!.WebhookId), d => d.Status == WebhookDeliveryStatus.Delivered, "the replay is delivered");
        await ReplayAsync(voice, id);
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal(delivery!.WebhookId, letter.GetProperty("webhookId").GetString());
        Assert.Equal("call.completed", letter.GetProperty("eventType").GetString());
        Assert.Equal(5, letter.GetProperty("attempts").GetInt32());
        Assert.StartsWith("gave up after 5 attempts; last: HTTP 500", letter.GetProperty("reason").GetString());
        Assert.All(replays, status => Assert.Equal(HttpStatusCode.Accepted, status));
        Assert.Equal(6, (await WebhookTestData.LoadDeliveryAsync(database, delivery.WebhookId)).Attempts.Count);
        Assert.Equal(delivery.WebhookId, Assert.Single(await receiver.ListAsync("shop")).Id);
        Assert.Equal(WebhookDeliveryStatus.Delivered, delivered.Status);
    }

    [Fact]
    public async Task Bulk_replay_takes_only_the_open_dead_letters_of_the_business_and_time_given_and_delete_forgets_one()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var ours = await WebhookTestData.AddBusinessAsync(voice.Database, genericUrl: "https://hooks.example.com/ours");
        var theirs = await WebhookTestData.AddBusinessAsync(voice.Database, genericUrl: "https://hooks.example.com/theirs");
        var noon = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var early = await AddFailedDeliveryAsync(voice.Database, ours.Id, noon.AddHours(-3));
        var inRange1 = await AddFailedDeliveryAsync(voice.Database, ours.Id, noon.AddMinutes(-30));
        var inRange2 = await AddFailedDeliveryAsync(voice.Database, ours.Id, noon.AddMinutes(20));
        var otherBusiness = await AddFailedDeliveryAsync(voice.Database, theirs.Id, noon);

        using var bulk = await voice.Operator.PostAsJsonAsync("/api/dead-letters/replay", new { businessId = ours.Id, from = noon.AddHours(-1), to = noon.AddHours(1) });
        var result = await bulk.Content.ReadFromJsonAsync<JsonElement>();
        var open = await ListAsync(voice, "?status=open");
        using var tooMany = await voice.Operator.PostAsJsonAsync("/api/dead-letters/replay", new { limit = 100_000 });
        var toDelete = await LetterIdAsync(voice.Database, early);
        using var deleted = await voice.Operator.DeleteAsync($"/api/dead-letters/{toDelete}");
        using var gone = await voice.Operator.GetAsync($"/api/dead-letters/{toDelete}");
        using var deletedAgain = await voice.Operator.DeleteAsync($"/api/dead-letters/{toDelete}");

        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Equal(
            new[] { await LetterIdAsync(voice.Database, inRange1), await LetterIdAsync(voice.Database, inRange2) },
            result.GetProperty("replayed").EnumerateArray().Select(i => i.GetInt64()));
        Assert.Equal(0, result.GetProperty("remaining").GetInt32());
        Assert.Equal(
            new[] { otherBusiness, early }.Order(),
            open.Select(l => l.GetProperty("webhookId").GetString()!).Order());
        Assert.Equal(WebhookDeliveryStatus.Pending, (await WebhookTestData.LoadDeliveryAsync(voice.Database, inRange1)).Status);
        Assert.Equal(WebhookDeliveryStatus.Failed, (await WebhookTestData.LoadDeliveryAsync(voice.Database, early)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, tooMany.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, deletedAgain.StatusCode);
        Assert.Equal(WebhookDeliveryStatus.Failed, (await WebhookTestData.LoadDeliveryAsync(voice.Database, early)).Status);
    }

    [Fact]
    public async Task Times_with_any_utc_offset_select_the_same_dead_letters_as_in_utc()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await WebhookTestData.AddBusinessAsync(voice.Database, genericUrl: "https://hooks.example.com/offsets");
        var noon = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
        var inRange = await AddFailedDeliveryAsync(voice.Database, business.Id, noon);
        await AddFailedDeliveryAsync(voice.Database, business.Id, noon.AddHours(-3));
        var israel = TimeSpan.FromHours(2);

        var listed = await ListAsync(voice, $"?businessId={business.Id}&from={Uri.EscapeDataString(noon.AddHours(-1).ToOffset(israel).ToString("O"))}&to={Uri.EscapeDataString(noon.AddHours(1).ToOffset(israel).ToString("O"))}");
        using var bulk = await voice.Operator.PostAsJsonAsync("/api/dead-letters/replay", new { businessId = business.Id, from = noon.AddHours(-1).ToOffset(israel), to = noon.AddHours(1).ToOffset(israel) });
        var replayed = await bulk.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(inRange, Assert.Single(listed).GetProperty("webhookId").GetString());
        Assert.Equal(HttpStatusCode.OK, bulk.StatusCode);
        Assert.Equal(await LetterIdAsync(voice.Database, inRange), Assert.Single(replayed.GetProperty("replayed").EnumerateArray()).GetInt64());
    }

    [Fact]
    public async Task An_entry_naming_no_known_call_is_listed_without_a_call_and_its_replay_is_a_409()
    {
        await using var env = await WorkerTestEnvironment.CreateAsync(infrastructure);
        await using var worker = WorkerHost.Start(env, "worker-a");
        await using var voice = await env.StartRelayAsync();

        await env.EnqueueAsync(new NameValueEntry("unexpected", "field"));
        await env.EnqueueAsync("CA00000000000000000000000000000000", "RE00000000000000000000000000000000");
        var letters = await Eventually.ReturnsAsync(() => ListAsync(voice, ""), l => l.Count == 2, "both entries are dead letters");
        using var replay = await voice.Operator.PostAsync($"/api/dead-letters/{letters[0].GetProperty("id").GetInt64()}/replay", null);

        Assert.All(letters, l => Assert.Equal(1, l.GetProperty("attempts").GetInt32()));
        Assert.Contains(letters, l => l.GetProperty("reason").GetString() == "poison message: the entry has no valid callSid");
        Assert.Contains(letters, l => l.GetProperty("callSid").GetString() == "CA00000000000000000000000000000000");
        Assert.Equal(HttpStatusCode.Conflict, replay.StatusCode);
        Assert.Equal(2, (await env.DeadLettersAsync()).Length);
    }

    private static async Task<List<JsonElement>> ListAsync(VoiceHost voice, string query) =>
        [.. (await voice.Operator.GetFromJsonAsync<JsonElement>($"/api/dead-letters{query}")).GetProperty("items").EnumerateArray()];

    private static async Task<HttpStatusCode> ReplayAsync(VoiceHost voice, long id)
    {
        using var response = await voice.Operator.PostAsync($"/api/dead-letters/{id}/replay", null);
        return response.StatusCode;
    }

    /// <summary>A delivery the dispatcher gave up on at <paramref name="failedAt"/>, with its dead letter; returns its webhook-id.</summary>
    private static async Task<string> AddFailedDeliveryAsync(string database, int businessId, DateTimeOffset failedAt)
    {
        var delivery = (await WebhookTestData.AddCallWithDeliveryAsync(database, WebhookTestData.NewProcessedCall(businessId)))!;
        await using var db = WebhookTestData.OpenDb(database);
        await db.WebhookDeliveries.Where(d => d.Id == delivery.Id)
            .ExecuteUpdateAsync(set => set.SetProperty(d => d.Status, WebhookDeliveryStatus.Failed).SetProperty(d => d.AttemptCount, 8));
        await DeadLetterWriter.RecordDeliveryAsync(db, delivery.Id, "gave up after 8 attempts; last: HTTP 500", 8, failedAt.AddHours(-27), failedAt, CancellationToken.None);
        return delivery.WebhookId;
    }

    private static async Task<long> LetterIdAsync(string database, string webhookId)
    {
        await using var db = WebhookTestData.OpenDb(database);
        return await db.DeadLetters.Where(d => d.WebhookDelivery!.WebhookId == webhookId).Select(d => d.Id).SingleAsync();
    }
}
