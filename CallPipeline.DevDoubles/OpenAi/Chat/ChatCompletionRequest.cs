using System.Text;
using System.Text.Json;

namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>
/// The parts of a chat completion request the double acts on, read from OpenAI's JSON body. A body of the wrong shape
/// yields <see cref="Problem"/> (the parameter and what is wrong with it) instead of an exception.
/// </summary>
public sealed record ChatCompletionRequest(
    string? Model, int MessageCount, string SystemText, string UserText, string? ResponseFormatType,
    string? SchemaName, JsonElement? Schema, bool Strict, bool Stream, (string Param, string Message)? Problem = null)
{
    public static ChatCompletionRequest From(JsonElement body)
    {
        var system = new StringBuilder();
        var user = new StringBuilder();
        var count = 0;
        (string Param, string Message)? problem = null;
        if (body.TryGetProperty("messages", out var messages))
        {
            if (messages.ValueKind != JsonValueKind.Array)
            {
                problem ??= ("messages", TypeProblem("messages", "an array", messages));
            }
            else
            {
                foreach (var message in messages.EnumerateArray())
                {
                    var param = $"messages[{count++}]";
                    if (message.ValueKind != JsonValueKind.Object)
                    {
                        problem ??= (param, TypeProblem(param, "an object", message));
                        continue;
                    }
                    var target = StringOf(message, "role") switch
                    {
                        "system" or "developer" => system,
                        "user" => user,
                        _ => null,
                    };
                    if (target is not null && message.TryGetProperty("content", out var content))
                    {
                        target.Append(TextOf(content)).Append('\n');
                    }
                }
            }
        }

        var formatType = "text";
        string? schemaName = null;
        JsonElement? schema = null;
        var strict = false;
        if (body.TryGetProperty("response_format", out var format) && format.ValueKind != JsonValueKind.Null)
        {
            formatType = format.ValueKind == JsonValueKind.Object ? StringOf(format, "type") : null;
            if (format.ValueKind == JsonValueKind.Object && format.TryGetProperty("json_schema", out var jsonSchema) && jsonSchema.ValueKind == JsonValueKind.Object)
            {
                schemaName = StringOf(jsonSchema, "name");
                schema = jsonSchema.TryGetProperty("schema", out var s) ? s : null;
                strict = jsonSchema.TryGetProperty("strict", out var st) && st.ValueKind == JsonValueKind.True;
            }
        }

        return new ChatCompletionRequest(
            StringOf(body, "model"), count, system.ToString().Trim(), user.ToString().Trim(), formatType, schemaName, schema, strict,
            body.TryGetProperty("stream", out var stream) && stream.ValueKind == JsonValueKind.True, problem);
    }

    private static string? StringOf(JsonElement element, string property) =>
        element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string TypeProblem(string param, string expected, JsonElement actual) =>
        $"Invalid type for '{param}': expected {expected}, but got {actual.ValueKind.ToString().ToLowerInvariant()} instead.";

    // Content is a string, or an array of parts of which the text parts count.
    private static string TextOf(JsonElement content) => content.ValueKind switch
    {
        JsonValueKind.String => content.GetString() ?? "",
        JsonValueKind.Array => string.Join('\n', content.EnumerateArray()
            .Where(part => part.ValueKind == JsonValueKind.Object && StringOf(part, "type") == "text")
            .Select(part => StringOf(part, "text") ?? "")),
        _ => "",
    };
}
