using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CallPipeline.Tests.Infrastructure;
using CallPipeline.Tests.Voice.Support;
using CallPipeline.Tests.Webhooks.Support;
using CallPipeline.Webhooks.Signing;

namespace CallPipeline.Tests.Voice;

/// <summary><c>/api/businesses</c>: numbers in E.164, one active business per number, URL rules, merge patches, delete deactivates.</summary>
[Trait("Category", "Infrastructure")]
public sealed class BusinessesApiTests(InfrastructureFixture infrastructure) : IClassFixture<InfrastructureFixture>
{
    [Fact]
    public async Task A_business_is_created_with_its_numbers_in_E164_and_its_secret_is_shown_only_in_the_answer()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        using var created = await voice.Operator.PostAsJsonAsync("/api/businesses", new
        {
            name = "Tel Aviv Plumbing",
            phoneNumbers = new[] { "03-555-0100", "+972 54-555-1234", "035550100" },
            region = "il",
            language = "HE",
            vocabulary = "נזילה, דוד שמש",
            inboundWebhookUrl = "http://127.0.0.1:9/hooks/in",
            outboundWebhookUrl = "http://127.0.0.1:9/hooks/out",
        });
        var body = await created.Content.ReadFromJsonAsync<JsonElement>();
        var business = body.GetProperty("business");
        var id = business.GetProperty("id").GetInt32();
        var secret = body.GetProperty("webhookSecret").GetString();
        var fetched = await voice.Operator.GetStringAsync($"/api/businesses/{id}");
        var listed = await voice.Operator.GetStringAsync("/api/businesses");

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal($"/api/businesses/{id}", created.Headers.Location?.ToString());
        Assert.Equal(["+97235550100", "+972545551234"], business.GetProperty("phoneNumbers").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal("IL", business.GetProperty("region").GetString());
        Assert.Equal("he", business.GetProperty("language").GetString());
        Assert.True(business.GetProperty("active").GetBoolean());
        Assert.True(WebhookSecret.TryParse(secret, out _));
        Assert.False(business.TryGetProperty("webhookSecret", out _));
        Assert.Contains("Tel Aviv Plumbing", fetched, StringComparison.Ordinal);
        Assert.Contains("Tel Aviv Plumbing", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(secret!, fetched, StringComparison.Ordinal);
        Assert.DoesNotContain(secret!, listed, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", fetched + listed, StringComparison.Ordinal);
        Assert.DoesNotContain(voice.Logs.Lines, line => line.Contains(secret!, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Each_refused_field_is_named_in_a_400()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        var errors = await ErrorsOfAsync(voice, new { name = " ", phoneNumbers = new[] { "12345" }, region = "XX", language = "hebrew" });
        var noNumbers = await ErrorsOfAsync(voice, new { name = "No numbers", phoneNumbers = Array.Empty<string>() });
        using var unknown = await voice.Operator.PostAsync("/api/businesses", Json("""{"name":"Typo","phoneNumbers":["+97235550100"],"inboundWebhook":"https://x.example.com"}"""));
        using var notJson = await voice.Operator.PostAsync("/api/businesses", Json("{"));

        Assert.Equal(["language", "name", "phoneNumbers", "region"], errors.Keys.Order());
        Assert.Contains("phoneNumbers", noNumbers.Keys);
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
        Assert.Empty(await voice.Operator.GetFromJsonAsync<JsonElement[]>("/api/businesses") ?? []);

        // With a known region, the number itself is judged.
        var badNumber = await ErrorsOfAsync(voice, new { name = "Bad number", phoneNumbers = new[] { "+97212" } });
        Assert.Equal(["phoneNumbers"], badNumber.Keys);
    }

    [Fact]
    public async Task Webhook_urls_follow_the_url_safety_rules_outside_development()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure, new Dictionary<string, string> { ["environment"] = "Production" });

        var errors = await ErrorsOfAsync(voice, new
        {
            name = "Unsafe",
            phoneNumbers = new[] { "+97235550101" },
            inboundWebhookUrl = "http://hooks.example.com/in",
            outboundWebhookUrl = "https://10.0.0.7/out",
            genericWebhookUrl = "https://user:pass@hooks.example.com/all",
        });
        using var safe = await voice.Operator.PostAsJsonAsync("/api/businesses", new
        {
            name = "Safe", phoneNumbers = new[] { "+97235550101" }, inboundWebhookUrl = "https://hooks.example.com/in",
        });

        Assert.Equal(["genericWebhookUrl", "inboundWebhookUrl", "outboundWebhookUrl"], errors.Keys.Order());
        Assert.Equal(HttpStatusCode.Created, safe.StatusCode);
    }

    [Fact]
    public async Task A_number_of_another_active_business_is_a_409_whether_main_or_additional()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var first = await CreateAsync(voice, "First", "+97235550100", "+972545551234");
        var second = await CreateAsync(voice, "Second", "+97235550200");

        using var sameMain = await voice.Operator.PostAsJsonAsync("/api/businesses", new { name = "Copy", phoneNumbers = new[] { "035550100" } });
        using var sameAdditional = await voice.Operator.PatchAsync($"/api/businesses/{second}", Json("""{"phoneNumbers":["+97235550200","054-5551234"]}"""));
        var problem = await sameMain.Content.ReadFromJsonAsync<JsonElement>();

        Assert.Equal(HttpStatusCode.Conflict, sameMain.StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, sameAdditional.StatusCode);
        Assert.Contains($"business {first}", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(["+97235550200"], await NumbersOfAsync(voice, second));
    }

    [Fact]
    public async Task Of_two_businesses_created_at_once_with_one_number_one_gets_it_and_the_other_a_409()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        var answers = await Task.WhenAll(Enumerable.Range(0, 6).Select(async i =>
        {
            using var response = await voice.Operator.PostAsJsonAsync("/api/businesses", new { name = $"Racer {i}", phoneNumbers = new[] { $"+9723555{i:D4}", "+97235559999" } });
            return response.StatusCode;
        }));

        Assert.Single(answers, s => s == HttpStatusCode.Created);
        Assert.Equal(5, answers.Count(s => s == HttpStatusCode.Conflict));
    }

    [Fact]
    public async Task A_patch_changes_only_the_fields_it_carries_and_null_clears_an_optional_one()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var id = await CreateAsync(voice, "Patched", "+97235550100");
        using (var set = await voice.Operator.PatchAsync($"/api/businesses/{id}", Json("""{"vocabulary":"דוד שמש","kind":"plumbing","language":"en"}""")))
        {
            Assert.Equal(HttpStatusCode.OK, set.StatusCode);
        }

        using var cleared = await voice.Operator.PatchAsync($"/api/businesses/{id}", Json("""{"vocabulary":null,"name":"Patched again"}"""));
        var business = await cleared.Content.ReadFromJsonAsync<JsonElement>();
        using var requiredNull = await voice.Operator.PatchAsync($"/api/businesses/{id}", Json("""{"name":null,"active":null}"""));
        using var unknownField = await voice.Operator.PatchAsync($"/api/businesses/{id}", Json("""{"secret":"whsec_x"}"""));
        using var missing = await voice.Operator.PatchAsync("/api/businesses/999999", Json("""{"name":"Nobody"}"""));
        var requiredErrors = (await requiredNull.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");

        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        Assert.Equal("Patched again", business.GetProperty("name").GetString());
        Assert.Equal(JsonValueKind.Null, business.GetProperty("vocabulary").ValueKind);
        Assert.Equal("plumbing", business.GetProperty("kind").GetString());
        Assert.Equal("en", business.GetProperty("language").GetString());
        Assert.Equal(["+97235550100"], business.GetProperty("phoneNumbers").EnumerateArray().Select(n => n.GetString()));
        Assert.Equal(HttpStatusCode.BadRequest, requiredNull.StatusCode);
        Assert.True(requiredErrors.TryGetProperty("name", out _) && requiredErrors.TryGetProperty("active", out _));
        Assert.Equal(HttpStatusCode.BadRequest, unknownField.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }

    [Fact]
    public async Task Delete_deactivates_the_business_its_calls_keep_it_and_its_number_can_go_to_another()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var old = await CreateAsync(voice, "Closing down", "+97235550100");
        var callBefore = VoiceTestData.NewCallSid();
        Assert.Contains("<Stream url=", await voice.IncomingCallAsync(callBefore, "+972501234567", "+97235550100"), StringComparison.Ordinal);

        using var deleted = await voice.Operator.DeleteAsync($"/api/businesses/{old}");
        var afterDelete = await voice.IncomingCallAsync(VoiceTestData.NewCallSid(), "+972501234567", "+97235550100");
        var successor = await CreateAsync(voice, "Took the number", "+97235550100");
        var callAfter = VoiceTestData.NewCallSid();
        var afterMove = await voice.IncomingCallAsync(callAfter, "+972501234567", "+97235550100");
        using var reactivate = await voice.Operator.PatchAsync($"/api/businesses/{old}", Json("""{"active":true}"""));
        var oldBusiness = await voice.Operator.GetFromJsonAsync<JsonElement>($"/api/businesses/{old}");
        var inactive = await voice.Operator.GetFromJsonAsync<JsonElement[]>("/api/businesses?active=false");

        Assert.Equal(HttpStatusCode.NoContent, deleted.StatusCode);
        Assert.DoesNotContain("<Stream", afterDelete, StringComparison.Ordinal);
        Assert.Contains("<Stream url=", afterMove, StringComparison.Ordinal);
        Assert.Equal(old, (await VoiceTestData.FindCallAsync(voice.Database, callBefore))!.BusinessId);
        Assert.Equal(successor, (await VoiceTestData.FindCallAsync(voice.Database, callAfter))!.BusinessId);
        Assert.Equal(HttpStatusCode.Conflict, reactivate.StatusCode);
        Assert.False(oldBusiness.GetProperty("active").GetBoolean());
        Assert.Equal([old], inactive!.Select(b => b.GetProperty("id").GetInt32()));
    }

    [Fact]
    public async Task A_call_to_an_additional_number_reaches_its_business()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);
        var id = await CreateAsync(voice, "Two lines", "+97235550100", "+97248550100");
        var callSid = VoiceTestData.NewCallSid();

        var twiml = await voice.IncomingCallAsync(callSid, "+972501234567", "+97248550100");

        Assert.Contains("<Stream url=", twiml, StringComparison.Ordinal);
        Assert.Equal(id, (await VoiceTestData.FindCallAsync(voice.Database, callSid))!.BusinessId);
    }

    [Fact]
    public async Task Without_the_api_key_the_businesses_are_401()
    {
        await using var voice = await VoiceHost.StartAsync(infrastructure);

        using var list = await voice.Client.GetAsync("/api/businesses");
        using var create = await voice.Client.PostAsJsonAsync("/api/businesses", new { name = "Sneaky", phoneNumbers = new[] { "+97235550100" } });
        using var delete = await voice.Client.DeleteAsync("/api/businesses/1");

        Assert.All(new[] { list, create, delete }, r => Assert.Equal(HttpStatusCode.Unauthorized, r.StatusCode));
    }

    internal static async Task<int> CreateAsync(VoiceHost voice, string name, params string[] numbers)
    {
        using var response = await voice.Operator.PostAsJsonAsync("/api/businesses", new { name, phoneNumbers = numbers });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("business").GetProperty("id").GetInt32();
    }

    private static async Task<IEnumerable<string?>> NumbersOfAsync(VoiceHost voice, int id) =>
        (await voice.Operator.GetFromJsonAsync<JsonElement>($"/api/businesses/{id}")).GetProperty("phoneNumbers").EnumerateArray().Select(n => n.GetString());

    private static async Task<Dictionary<string, JsonElement>> ErrorsOfAsync(VoiceHost voice, object body)
    {
        using var response = await voice.Operator.PostAsJsonAsync("/api/businesses", body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        return problem.GetProperty("errors").EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
