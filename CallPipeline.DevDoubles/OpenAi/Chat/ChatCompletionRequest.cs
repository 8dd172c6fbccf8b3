using System.Text;
using System.Text.Json;

namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>The parts of a chat completion request the double acts on, read from OpenAI's JSON body.</summary>
public sealed record ChatCompletionRequest(
    string? Model, int MessageCount, string SystemText, string UserText, string ResponseFormatType,
    string? SchemaName, JsonElement? Schema, bool Strict, bool Stream)
{
    public static ChatCompletionRequest From(JsonElement body)
    {
        var system = new StringBuilder();
        var user = new StringBuilder();
        var count = 0;
        if (body.TryGetProperty("messages", out var messages) && messages.ValueKind == JsonValueKind.Array)
        {
            foreach (var message in messages.EnumerateArray())
            {
                count++;
                var role = message.TryGetProperty("role", out var r) ? r.GetString() : null;
                var target = role is "system" or "developer" ? system : role == "user" ? user : null;
                if (target is not null && message.TryGetProperty("content", out var content))
                {
                    target.Append(TextOf(content)).Append('\n');
                }
            }
        }

        var formatType = "text";
        string? schemaName = null;
        JsonElement? schema = null;
        var strict = false;
        if (body.TryGetProperty("response_format", out var format) && format.ValueKind == JsonValueKind.Object)
        {
            formatType = format.TryGetProperty("type", out var type) ? type.GetString() ?? "text" : "text";
            if (format.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.ValueKind == JsonValueKind.Object)
            {
                schemaName = jsonSchema.TryGetProperty("name", out var name) ? name.GetString() : null;
                schema = jsonSchema.TryGetProperty("schema", out var s) ? s : null;
                strict = jsonSchema.TryGetProperty("strict", out var st) && st.ValueKind == JsonValueKind.True;
            }
        }

        return new ChatCompletionRequest(
            body.TryGetProperty("model", out var model) && model.ValueKind == JsonValueKind.String ? model.GetString() : null,
            count, system.ToString().Trim(), user.ToString().Trim(), formatType, schemaName, schema, strict,
            body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True);
    }

    // Content is a string, or an array of parts of which the text parts count.
    private static string TextOf(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? "",
        JsonValueKind.Array => string.Join('\n', content.EnumerateArray()
            .Where(part => part.TryGetProperty("type", out var t) && t.GetString() == "text" && part.TryGetProperty("text", out _))
            .Select(part => part.GetProperty("text").GetString())),
        _ => "",
    };
}
