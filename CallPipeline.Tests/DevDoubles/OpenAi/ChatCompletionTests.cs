using System.ClientModel;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CallPipeline.Tests.DevDoubles.OpenAi.Support;
using Json.Schema;
using OpenAI.Chat;

namespace CallPipeline.Tests.DevDoubles.OpenAi;

/// <summary>POST /v1/chat/completions through OpenAI's .NET SDK: deterministic summaries and structured outputs that validate.</summary>
public sealed class ChatCompletionTests : IAsyncLifetime
{
    private const string DemoSentence = "שלום, קוראים לי דני. אני צריך אינסטלטור בתל אביב מחר בבוקר, יש נזילה במטבח.";

    // The extraction schema of the worker's contract: strings or null, and a confidence from 0 to 1.
    private const string ExtractionSchema = """
        {
          "type": "object",
          "properties": {
            "city": { "type": ["string", "null"] },
            "service": { "type": ["string", "null"] },
            "customer_name": { "type": ["string", "null"] },
            "confidence": { "type": "number", "minimum": 0, "maximum": 1 }
          },
          "required": ["city", "service", "customer_name", "confidence"],
          "additionalProperties": false
        }
        """;

    private OpenAiDoubleHost _host = null!;

    public Task InitializeAsync()
    {
        _host = OpenAiDoubleHost.Start();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Strict_extraction_of_the_demo_sentence_validates_and_finds_tel_aviv_a_plumber_and_dani()
    {
        var json = await ExtractAsync(DemoSentence, ExtractionSchema);

        AssertValid(ExtractionSchema, json);
        var extracted = JsonNode.Parse(json)!;
        Assert.Equal("תל אביב", (string?)extracted["city"]);
        Assert.Equal("אינסטלטור", (string?)extracted["service"]);
        Assert.Equal("דני", (string?)extracted["customer_name"]);
        Assert.Equal(0.9, (double)extracted["confidence"]!);
        var request = Assert.Single(await _host.RequestsAsync());
        Assert.Equal(("chat/completions", "gpt-4o-mini", "json_schema", "call_extraction", true, 200),
            (request.Endpoint, request.Model, request.ResponseFormat, request.SchemaName, request.Strict, request.Status));
    }

    [Fact]
    public async Task Extraction_from_a_summary_finds_the_callers_facts_not_words_in_the_business_name()
    {
        const string business = "You summarise phone calls for the business \"Demo Plumbing\".";
        var summary = (await _host.Chat().CompleteChatAsync([new SystemChatMessage(business), new UserChatMessage("שלום, אני צריך עזרה בירושלים.")])).Value.Content[0].Text;

        var completion = await _host.Chat().CompleteChatAsync(
            [new SystemChatMessage("Extract from a phone call of the business \"Demo Plumbing\" the customer's city."), new UserChatMessage(summary)],
            new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("call_details", BinaryData.FromString(ExtractionSchema), jsonSchemaIsStrict: true) });

        Assert.Contains("Demo Plumbing", summary);
        var extracted = JsonNode.Parse(completion.Value.Content[0].Text)!;
        Assert.Equal("ירושלים", (string?)extracted["city"]);
        Assert.Null(extracted["service"]);
    }

    [Fact]
    public async Task English_text_is_extracted_in_english()
    {
        var json = await ExtractAsync("Hi, my name is Dana. I need an electrician in Haifa, the power is out.", ExtractionSchema);

        var extracted = JsonNode.Parse(json)!;
        Assert.Equal(("Haifa", "electrician", "Dana"), ((string?)extracted["city"], (string?)extracted["service"], (string?)extracted["customer_name"]));
    }

    [Fact]
    public async Task Text_without_a_known_city_or_service_gives_nulls_and_a_low_confidence_that_still_validate()
    {
        var json = await ExtractAsync("שלום, רציתי לשאול מתי אתם פתוחים.", ExtractionSchema);

        AssertValid(ExtractionSchema, json);
        var extracted = JsonNode.Parse(json)!.AsObject();
        Assert.Null(extracted["city"]);
        Assert.Null(extracted["service"]);
        Assert.Null(extracted["customer_name"]);
        Assert.True((double)extracted["confidence"]! < 0.5);
    }

    [Fact]
    public async Task Properties_the_double_does_not_know_get_defaults_of_their_type_and_the_answer_validates()
    {
        const string schema = """
            {
              "type": "object",
              "properties": {
                "city": { "anyOf": [ { "type": "string" }, { "type": "null" } ] },
                "service": { "type": "string", "enum": ["plumber", "electrician", "other"] },
                "urgent": { "type": "boolean" },
                "callback_count": { "type": "integer", "minimum": 1 },
                "notes": { "type": ["string", "null"] },
                "tags": { "type": "array", "items": { "type": "string" } },
                "address": { "$ref": "#/$defs/address" },
                "confidence": { "type": "number" }
              },
              "required": ["city", "service", "urgent", "callback_count", "notes", "tags", "address", "confidence"],
              "additionalProperties": false,
              "$defs": {
                "address": {
                  "type": "object",
                  "properties": { "street": { "type": "string" }, "floor": { "type": ["integer", "null"] } },
                  "required": ["street", "floor"],
                  "additionalProperties": false
                }
              }
            }
            """;

        var json = await ExtractAsync("My name is Dana, I need a plumber in Jerusalem.", schema);

        AssertValid(schema, json);
        var extracted = JsonNode.Parse(json)!;
        Assert.Equal(("Jerusalem", "plumber", 1L), ((string?)extracted["city"], (string?)extracted["service"], (long)extracted["callback_count"]!));
    }

    [Fact]
    public async Task A_strict_schema_without_additional_properties_false_is_rejected_as_openai_rejects_it()
    {
        const string loose = """{ "type": "object", "properties": { "city": { "type": "string" } }, "required": ["city"] }""";

        var error = await Assert.ThrowsAsync<ClientResultException>(() => ExtractAsync(DemoSentence, loose));

        Assert.Equal(400, error.Status);
        Assert.Contains("Invalid schema for response_format 'call_extraction': In context=(), 'additionalProperties' is required to be supplied and to be false.", error.Message);
    }

    [Fact]
    public async Task A_strict_schema_that_does_not_require_every_property_is_rejected()
    {
        const string partial = """
            { "type": "object", "properties": { "city": { "type": "string" }, "service": { "type": "string" } },
              "required": ["city"], "additionalProperties": false }
            """;

        var error = await Assert.ThrowsAsync<ClientResultException>(() => ExtractAsync(DemoSentence, partial));

        Assert.Equal(400, error.Status);
        Assert.Contains("'required' is required to be supplied and to be an array including every key in properties. Missing 'service'.", error.Message);
    }

    [Fact]
    public async Task A_plain_text_summary_names_the_business_of_the_system_message_and_the_request_log_records_it()
    {
        var completion = await _host.Chat().CompleteChatAsync(
            [
                new SystemChatMessage("You summarise phone calls for a business.\nBusiness name: Cohen Plumbing\nBusiness kind: plumbing\nLanguage: he"),
                new UserChatMessage($"Transcript:\n{DemoSentence}"),
            ]);

        var summary = completion.Value.Content[0].Text;
        Assert.Contains("Cohen Plumbing", summary);
        Assert.Contains("אינסטלטור", summary);
        Assert.Contains("תל אביב", summary);
        Assert.Equal(summary, (await _host.Chat().CompleteChatAsync([new SystemChatMessage("Business name: Cohen Plumbing"), new UserChatMessage($"Transcript:\n{DemoSentence}")])).Value.Content[0].Text);
        Assert.Equal((ChatFinishReason.Stop, ChatMessageRole.Assistant), (completion.Value.FinishReason, completion.Value.Role));
        Assert.StartsWith("chatcmpl-", completion.Value.Id);
        Assert.True(completion.Value.Usage.TotalTokenCount > 0);
        var request = (await _host.RequestsAsync())[0];
        Assert.Equal(("Cohen Plumbing", "text", 2), (request.BusinessName, request.ResponseFormat, request.MessageCount));
    }

    [Fact]
    public async Task The_completion_has_openais_chat_completion_shape()
    {
        using var response = await PostRawAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"אני צריך חשמלאי בחיפה"}]}""", _host.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var root = body.RootElement;
        Assert.Equal(("chat.completion", "gpt-4o-mini"), (root.GetProperty("object").GetString(), root.GetProperty("model").GetString()));
        Assert.True(root.GetProperty("created").GetInt64() > 1_700_000_000);
        var choice = root.GetProperty("choices").EnumerateArray().Single();
        Assert.Equal((0, "stop"), (choice.GetProperty("index").GetInt32(), choice.GetProperty("finish_reason").GetString()));
        var message = choice.GetProperty("message");
        Assert.Equal("assistant", message.GetProperty("role").GetString());
        Assert.Equal(JsonValueKind.Null, message.GetProperty("refusal").ValueKind);
        Assert.Contains("חשמלאי", message.GetProperty("content").GetString());
        var usage = root.GetProperty("usage");
        Assert.Equal(usage.GetProperty("prompt_tokens").GetInt32() + usage.GetProperty("completion_tokens").GetInt32(), usage.GetProperty("total_tokens").GetInt32());
    }

    [Fact]
    public async Task Chat_without_the_key_gets_401_and_an_unknown_model_gets_404()
    {
        using var unauthorised = await PostRawAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}]}""", apiKey: null);
        var unknown = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat("gpt-9").CompleteChatAsync([new UserChatMessage("hi")]));

        Assert.Equal(HttpStatusCode.Unauthorized, unauthorised.StatusCode);
        Assert.Equal(404, unknown.Status);
        Assert.Contains("model_not_found", unknown.Message);
    }

    [Fact]
    public async Task Json_object_mode_without_the_word_json_in_the_messages_is_rejected()
    {
        var error = await Assert.ThrowsAsync<ClientResultException>(() => _host.Chat().CompleteChatAsync(
            [new UserChatMessage(DemoSentence)], new ChatCompletionOptions { ResponseFormat = ChatResponseFormat.CreateJsonObjectFormat() }));

        Assert.Equal(400, error.Status);
        Assert.Contains("'messages' must contain the word 'json' in some form", error.Message);
    }

    [Theory]
    [InlineData("""{"model":"gpt-4o-mini","messages":[5]}""", "\"code\":\"invalid_type\"")]
    [InlineData("""{"model":"gpt-4o-mini","messages":"hello"}""", "\"code\":\"invalid_type\"")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[]}""", "\"code\":\"empty_array\"")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":7,"content":{"x":1}}],"response_format":{"type":5}}""", "\"code\":\"invalid_value\"")]
    [InlineData("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"x","strict":true,"schema":{"type":"object","properties":{"a":{"anyOf":[5]}},"required":[3],"additionalProperties":false}}}}""", "Invalid schema for response_format 'x'")]
    [InlineData("""[1, 2]""", "We could not parse the JSON body")]
    [InlineData("""not json""", "We could not parse the JSON body")]
    public async Task A_body_of_the_wrong_shape_gets_a_400_that_says_what_is_wrong(string json, string expected)
    {
        using var response = await PostRawAsync(json, _host.ApiKey);

        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.BadRequest, $"{(int)response.StatusCode}: {text}");
        Assert.Contains(expected, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_that_is_not_strict_is_not_checked_and_gets_an_answer_never_a_500()
    {
        // Only strict schemas are held to OpenAI's rules (StrictSchemaRules); a loose one, even a self-referencing one, is used as given.
        using var response = await PostRawAsync("""{"model":"gpt-4o-mini","messages":[{"role":"user","content":"hi"}],"response_format":{"type":"json_schema","json_schema":{"name":"loop","schema":{"$ref":"#/$defs/a","$defs":{"a":{"anyOf":[{"$ref":"#/$defs/a"}],"minItems":"many"}}}}}}""", _host.ApiKey);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    private async Task<string> ExtractAsync(string text, string schema)
    {
        var completion = await _host.Chat().CompleteChatAsync(
            [new SystemChatMessage("Extract the caller's city, requested service and name."), new UserChatMessage(text)],
            new ChatCompletionOptions
            {
                ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat("call_extraction", BinaryData.FromString(schema), jsonSchemaIsStrict: true),
            });
        return completion.Value.Content[0].Text;
    }

    private static void AssertValid(string schema, string json)
    {
        var results = JsonSchema.FromText(schema).Evaluate(JsonNode.Parse(json), new EvaluationOptions { OutputFormat = OutputFormat.List });
        Assert.True(results.IsValid, $"The answer does not validate against its schema: {json}");
    }

    private async Task<HttpResponseMessage> PostRawAsync(string json, string? apiKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/chat/completions") { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (apiKey is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", apiKey);
        }
        return await _host.Http.SendAsync(request);
    }
}
