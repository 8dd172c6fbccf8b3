using System.Text.Json;
using CallPipeline.Data.Entities;
using Microsoft.Extensions.Options;
using OpenAI;
using OpenAI.Chat;

namespace CallPipeline.Worker.Ai;

/// <summary>City, service, customer name and a confidence, by the chat model with a strict JSON-schema structured output.</summary>
public sealed class CallDetailsExtractor(OpenAIClient client, IOptions<OpenAiOptions> options)
{
    public const string SchemaName = "call_details";
    private const int MaxFieldLength = 255;

    /// <summary>Strict mode: every property required, no others; strings may be null.</summary>
    public static readonly BinaryData Schema = BinaryData.FromString("""
        {
          "type": "object",
          "properties": {
            "city": { "type": ["string", "null"], "description": "The city or town the customer is in or needs the service in." },
            "service": { "type": ["string", "null"], "description": "The service the customer asks for, in a few words." },
            "customer_name": { "type": ["string", "null"], "description": "The customer's name if they said it." },
            "confidence": { "type": "number", "description": "0 to 1: how sure the city and service are." }
          },
          "required": ["city", "service", "customer_name", "confidence"],
          "additionalProperties": false
        }
        """);

    /// <param name="speakers">The labels of the text's lines when it is a speaker transcript; null for unlabelled text.</param>
    public async Task<ExtractedDetails> ExtractAsync(Business business, string text, (string Caller, string Line)? speakers, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.Value.ChatTimeout);
        ChatMessage[] messages =
        [
            new SystemChatMessage(
                $"""
                Extract from a phone call of the business "{business.Name}" ({business.Kind ?? "kind not given"}) the customer's city,
                the service requested and the customer's name. Answer null for anything not said; do not guess.
                Keep the words as said, in the call's language. confidence: 0.9-1 when city and service are both explicit,
                0.7-0.9 when one is inferred, 0.5-0.7 when only one is clear, below 0.5 when weak.{SpeakerRule(speakers)}
                """),
            new UserChatMessage(text),
        ];
        var completion = await client.GetChatClient(options.Value.ChatModel).CompleteChatAsync(
            messages,
            new ChatCompletionOptions
            {
                Temperature = 0,
                MaxOutputTokenCount = 200,
                ResponseFormat = ChatResponseFormat.CreateJsonSchemaFormat(SchemaName, Schema, jsonSchemaIsStrict: true),
            },
            timeout.Token);
        return Parse(string.Concat(completion.Value.Content.Select(part => part.Text)));
    }

    private static string SpeakerRule((string Caller, string Line)? speakers) => speakers is not { } labels
        ? ""
        : $"""

            Lines starting with "{labels.Caller}:" are the customer's words, lines starting with "{labels.Line}:" the business's line.
            Take the city, the service and the name only from what the customer said; the line's words (greetings, questions,
            the business's own city or name) are context for the customer's answers, never the answer.
            """;

    /// <summary>Validates the model's JSON: trims, drops empty or phone-number-like values, clamps the confidence into 0..1.</summary>
    public static ExtractedDetails Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            throw new JsonException("The extraction is not a JSON object.");
        }
        var city = Text(root, "city");
        var service = Text(root, "service");
        var name = Text(root, "customer_name");
        if (name is not null && name.Count(char.IsDigit) >= 3)
        {
            name = null;
        }
        var confidence = root.TryGetProperty("confidence", out var value) && value.ValueKind == JsonValueKind.Number ? value.GetDouble() : 0;
        confidence = double.IsFinite(confidence) ? Math.Clamp(confidence, 0, 1) : 0;
        if (city is null && service is null)
        {
            confidence = 0;
        }
        return new ExtractedDetails(city, service, name, Math.Round(confidence, 3));
    }

    private static string? Text(JsonElement root, string property)
    {
        if (!root.TryGetProperty(property, out var value) || value.ValueKind != JsonValueKind.String)
        {
            return null;
        }
        var text = value.GetString()!.Trim();
        if (text.Length == 0 || text.Equals("null", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }
        return text.Length > MaxFieldLength ? text[..MaxFieldLength] : text;
    }
}
