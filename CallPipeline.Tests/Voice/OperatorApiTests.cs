using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CallPipeline.Data.Entities;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Support;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks;

namespace CallPipeline.Tests.Voice;

/// <summary><c>/api/calls</c> and <c>/api/calls/{callSid}</c>: API key, paging newest first, the whole record with enum strings.</summary>
[Trait("Category", "Infrastructure")]
public sealed class OperatorApiTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key")]
    [InlineData(VoiceTestData.OperatorApiKey + "x")]
    public async Task Without_the_right_api_key_every_operator_endpoint_is_401(string? key)
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        string[] paths = ["/api/calls", "/api/calls/CA00000000000000000000000000000000", "/api/calls/CA00000000000000000000000000000000/webhooks"];

        foreach (var path in paths)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            if (key is not null)
            {
                request.Headers.Add("X-Api-Key", key);
            }
            using var response = await voice.Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }
        using var redeliver = await voice.Client.PostAsync("/api/calls/CA00000000000000000000000000000000/webhooks/redeliver", null);
        Assert.Equal(HttpStatusCode.Unauthorized, redeliver.StatusCode);
        Assert.DoesNotContain(voice.Logs.Lines, l => l.Contains(VoiceTestData.OperatorApiKey, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_a_configured_key_nothing_gets_through()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["OperatorApi:ApiKey"] = "" });

        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/calls");
        request.Headers.Add("X-Api-Key", "");
        using var response = await voice.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Calls_are_listed_newest_first_a_page_at_a_time()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550100");
        var sids = new List<string>();
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            for (var i = 0; i < 5; i++)
            {
                var call = WebhookTestData.NewProcessedCall(business.Id);
                call.StartedAt = DateTimeOffset.UtcNow.AddMinutes(-10 + i);
                db.CallLogs.Add(call);
                sids.Add(call.CallSid);
            }
            await db.SaveChangesAsync();
        }
        sids.Reverse();

        var first = await GetAsync(voice, "/api/calls?page=1&pageSize=2");
        var third = await GetAsync(voice, "/api/calls?page=3&pageSize=2");
        using var invalid = await SendAsync(voice, "/api/calls?pageSize=1000");

        Assert.Equal(5, first.GetProperty("total").GetInt32());
        Assert.Equal(sids[..2], first.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("callSid").GetString()));
        Assert.Equal(sids[4..], third.GetProperty("items").EnumerateArray().Select(c => c.GetProperty("callSid").GetString()));
        Assert.Equal("processed", first.GetProperty("items")[0].GetProperty("pipelineStatus").GetString());
        Assert.Equal("inbound", first.GetProperty("items")[0].GetProperty("direction").GetString());
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);
    }

    [Fact]
    public async Task Calls_are_searched_by_number_callSid_business_status_and_time_each_narrowing_and_all_combined()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var one = await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550100", name: "Business one");
        var two = await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550200", name: "Business two");
        // Whole seconds: Postgres keeps microseconds, so a tick-precise since would miss the call it was taken from.
        var now = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        var a = Call(one.Id, "+972541234567", "+97235550100", PipelineStatus.Processed, now.AddMinutes(-50));
        var b = Call(one.Id, "+972501111111", "+97235550100", PipelineStatus.Failed, now.AddMinutes(-40));
        var c = Call(two.Id, "+972541234567", "+97235550200", PipelineStatus.Failed, now.AddMinutes(-30));
        var d = Call(two.Id, "+97235550200", "+972541234567", PipelineStatus.Processed, now.AddMinutes(-20));
        var e = Call(null, "+12025550123", "+97239999999", PipelineStatus.Rejected, now.AddMinutes(-10));
        await using (var db = VoiceTestData.OpenDb(voice.Database))
        {
            db.CallLogs.AddRange(a, b, c, d, e);
            await db.SaveChangesAsync();
        }

        // Either side of the call, the digits of any way of writing the number (a '+' left unencoded arrives as a space).
        Assert.Equal(Sids(d, c, a), await SearchAsync(voice, "number=" + Uri.EscapeDataString("+972 54-123-4567")));
        Assert.Equal(Sids(d, c, a), await SearchAsync(voice, "number=+972541234567"));
        Assert.Equal(Sids(d, c, a), await SearchAsync(voice, "number=54-123-4567"));
        Assert.Equal(Sids(b), await SearchAsync(voice, "callSid=" + b.CallSid));
        Assert.Empty(await SearchAsync(voice, "callSid=" + b.CallSid.ToUpperInvariant()));
        Assert.Equal(Sids(d, c), await SearchAsync(voice, $"businessId={two.Id}"));
        Assert.Equal(Sids(c, b), await SearchAsync(voice, "status=failed"));
        Assert.Equal(Sids(e), await SearchAsync(voice, "status=rejected"));
        // since is inclusive, until exclusive; a time with an offset means the same instant.
        Assert.Equal(Sids(c, b), await SearchAsync(voice, $"since={Time(b.StartedAt)}&until={Time(d.StartedAt)}"));
        Assert.Equal(Sids(c, b), await SearchAsync(voice, $"since={Time(b.StartedAt.ToOffset(TimeSpan.FromHours(2)))}&until={Time(d.StartedAt.ToOffset(TimeSpan.FromHours(-5)))}"));
        Assert.Equal(Sids(e, d), await SearchAsync(voice, $"since={Time(d.StartedAt)}"));
        Assert.Equal(Sids(a), await SearchAsync(voice, $"until={Time(b.StartedAt)}"));
        Assert.Equal(Sids(c), await SearchAsync(voice, $"number=541234567&businessId={two.Id}&status=failed&since={Time(a.StartedAt)}"));
        Assert.Empty(await SearchAsync(voice, $"callSid={b.CallSid}&businessId={two.Id}"));
        // Empty values, as an empty search form sends them, filter nothing.
        Assert.Equal(Sids(e, d, c, b, a), await SearchAsync(voice, "number=&callSid=&businessId=&status=&since=&until="));

        var page = await GetAsync(voice, "/api/calls?status=processed&pageSize=1");
        Assert.Equal(2, page.GetProperty("total").GetInt32());
        var item = Assert.Single(page.GetProperty("items").EnumerateArray());
        Assert.Equal(d.CallSid, item.GetProperty("callSid").GetString());
        Assert.Equal("Business two", item.GetProperty("businessName").GetString());
        var rejected = (await GetAsync(voice, "/api/calls?status=rejected")).GetProperty("items")[0];
        Assert.Equal(JsonValueKind.Null, rejected.GetProperty("businessName").ValueKind);
    }

    [Fact]
    public async Task A_bad_search_value_is_a_400_naming_its_parameter()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        (string Query, string Parameter)[] cases =
        [
            ("number=12", "number"),
            ("number=" + Uri.EscapeDataString("+9-7"), "number"),
            ("number=abc", "number"),
            ("businessId=seven", "businessId"),
            ("businessId=-1", "businessId"),
            ("businessId=99999999999", "businessId"),
            ("status=done", "status"),
            ("status=1", "status"),
            ("since=yesterday", "since"),
            ("since=12/01/2026", "since"),
            ("since=2026-12-01T10:00:00+02:00", "since"), // a '+' left unencoded arrives as a space
            ("until=2026-13-01T00:00:00Z", "until"),
            ("since=2026-12-02T00:00:00Z&until=2026-12-01T00:00:00Z", "until"),
            ("since=2026-12-02T00:00:00Z&until=2026-12-02T00:00:00Z", "until"),
        ];

        foreach (var (query, parameter) in cases)
        {
            using var response = await SendAsync(voice, "/api/calls?" + query);
            var problem = await ErrorResponses.AssertProblemAsync(response, 400);
            var errors = problem.GetProperty("errors");
            Assert.True(errors.TryGetProperty(parameter, out _), $"{query}: expected an error for {parameter}, got {errors}");
        }
        using var status = await SendAsync(voice, "/api/calls?status=done");
        var allowed = (await ErrorResponses.AssertProblemAsync(status, 400)).GetProperty("errors").GetProperty("status")[0].GetString();
        Assert.Equal("status is one of received, in_progress, ended, recorded, processing, processed, missed, failed, rejected.", allowed);
    }

    [Fact]
    public async Task A_call_record_has_recording_transcript_summary_extraction_and_its_webhooks_with_snake_case_enums()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var business = await VoiceTestData.AddBusinessAsync(voice.Database, "+97235550100", webhookUrl: "https://hooks.example.com/calls");
        var call = WebhookTestData.NewProcessedCall(business.Id, CallDirection.Outbound);
        call.PipelineStatus = PipelineStatus.InProgress;
        call.StepTimings = """{"download":120,"transcribe":900}""";
        call.TranscriptTurns = [new TranscriptTurn(SpeakerRole.Line, 0.5, 2.0, "שלום"), new TranscriptTurn(SpeakerRole.Caller, 2.5, 6.25, call.FinalTranscript!)];
        call.SpeakerTranscript = $"נציג: שלום\nלקוח: {call.FinalTranscript}";
        call.CallerSpeechSeconds = 3.75;
        await WebhookTestData.AddCallWithDeliveryAsync(voice.Database, call);

        var record = await GetAsync(voice, $"/api/calls/{call.CallSid}");
        using var missing = await SendAsync(voice, "/api/calls/CA00000000000000000000000000000000");

        Assert.Equal(call.CallSid, record.GetProperty("callSid").GetString());
        Assert.Equal("in_progress", record.GetProperty("pipelineStatus").GetString());
        Assert.Equal("outbound", record.GetProperty("direction").GetString());
        Assert.Equal("Test plumbing", record.GetProperty("businessName").GetString());
        Assert.Equal(call.RecordingSid, record.GetProperty("recording").GetProperty("recordingSid").GetString());
        Assert.Equal("recording", record.GetProperty("transcript").GetProperty("source").GetString());
        Assert.Equal(call.FinalTranscript, record.GetProperty("transcript").GetProperty("final").GetString());
        Assert.Equal(call.SpeakerTranscript, record.GetProperty("transcript").GetProperty("speakers").GetString());
        Assert.Equal(3.75, record.GetProperty("transcript").GetProperty("callerSpeechSeconds").GetDouble());
        var turns = record.GetProperty("transcript").GetProperty("turns").EnumerateArray().ToList();
        Assert.Equal(["line", "caller"], turns.Select(t => t.GetProperty("role").GetString()));
        Assert.Equal((2.5, 6.25), (turns[1].GetProperty("start").GetDouble(), turns[1].GetProperty("end").GetDouble()));
        Assert.Equal(call.Summary, record.GetProperty("summary").GetString());
        Assert.Equal("תל אביב", record.GetProperty("extraction").GetProperty("city").GetString());
        Assert.Equal(0.92, record.GetProperty("extraction").GetProperty("confidence").GetDouble());
        Assert.Equal(900, record.GetProperty("processing").GetProperty("stepTimings").GetProperty("transcribe").GetInt32());
        var webhook = Assert.Single(record.GetProperty("webhooks").EnumerateArray());
        Assert.Equal(CallWebhooks.CallCompleted, webhook.GetProperty("eventType").GetString());
        Assert.Equal("pending", webhook.GetProperty("status").GetString());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    private static CallLog Call(int? businessId, string from, string to, PipelineStatus status, DateTimeOffset startedAt)
    {
        var call = WebhookTestData.NewProcessedCall(businessId ?? 0);
        call.BusinessId = businessId;
        (call.FromNumber, call.ToNumber, call.PipelineStatus, call.StartedAt) = (from, to, status, startedAt);
        return call;
    }

    private static string[] Sids(params CallLog[] calls) => [.. calls.Select(c => c.CallSid)];

    private static string Time(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O", System.Globalization.CultureInfo.InvariantCulture));

    /// <summary>The CallSids a search finds, in the order the API gives them.</summary>
    private static async Task<List<string>> SearchAsync(VoiceHost voice, string query) =>
        [.. (await GetAsync(voice, "/api/calls?" + query)).GetProperty("items").EnumerateArray().Select(c => c.GetProperty("callSid").GetString()!)];

    private static async Task<JsonElement> GetAsync(VoiceHost voice, string path)
    {
        using var response = await SendAsync(voice, path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static async Task<HttpResponseMessage> SendAsync(VoiceHost voice, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Api-Key", VoiceTestData.OperatorApiKey);
        return await voice.Client.SendAsync(request);
    }
}
