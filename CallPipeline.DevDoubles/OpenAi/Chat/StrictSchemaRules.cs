using System.Text.Json;

namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>
/// The rules OpenAI enforces on a strict json_schema before answering: the root is an object, and every object lists
/// every property in <c>required</c> and sets <c>additionalProperties</c> to false. Problems are worded as OpenAI words them.
/// </summary>
public static class StrictSchemaRules
{
    /// <summary>The first rule broken, or null when the schema may be used strictly.</summary>
    public static string? FirstProblem(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return "schema must be a JSON Schema object.";
        }
        if (TypeOf(schema) is { } rootType && rootType != "object")
        {
            return $"schema must be a JSON Schema of 'type: \"object\"', got 'type: \"{rootType}\"'.";
        }
        return ProblemIn(schema, []);
    }

    private static string? ProblemIn(JsonElement schema, List<string> path)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return null;
        }
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            if (!schema.TryGetProperty("additionalProperties", out var additional) || additional.ValueKind != JsonValueKind.False)
            {
                return $"In context={Context(path)}, 'additionalProperties' is required to be supplied and to be false.";
            }
            var required = schema.TryGetProperty("required", out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()).ToHashSet()
                : [];
            foreach (var property in properties.EnumerateObject())
            {
                if (!required.Contains(property.Name))
                {
                    return $"In context={Context(path)}, 'required' is required to be supplied and to be an array including every key in properties. Missing '{property.Name}'.";
                }
            }
            foreach (var property in properties.EnumerateObject())
            {
                if (ProblemIn(property.Value, [.. path, "properties", property.Name]) is { } problem)
                {
                    return problem;
                }
            }
        }
        if (schema.TryGetProperty("items", out var items) && ProblemIn(items, [.. path, "items"]) is { } itemProblem)
        {
            return itemProblem;
        }
        foreach (var keyword in new[] { "anyOf", "$defs", "definitions" })
        {
            if (!schema.TryGetProperty(keyword, out var children))
            {
                continue;
            }
            var named = children.ValueKind == JsonValueKind.Array
                ? children.EnumerateArray().Select((child, index) => (Name: index.ToString(System.Globalization.CultureInfo.InvariantCulture), Child: child))
                : children.ValueKind == JsonValueKind.Object ? children.EnumerateObject().Select(child => (child.Name, Child: child.Value)) : [];
            foreach (var (name, child) in named)
            {
                if (ProblemIn(child, [.. path, keyword, name]) is { } problem)
                {
                    return problem;
                }
            }
        }
        return null;
    }

    private static string? TypeOf(JsonElement schema) =>
        schema.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String ? type.GetString() : null;

    // OpenAI prints the path as a Python tuple: () at the root, ('properties', 'city') below it.
    private static string Context(List<string> path) => path.Count switch
    {
        0 => "()",
        1 => $"('{path[0]}',)",
        _ => "(" + string.Join(", ", path.Select(part => $"'{part}'")) + ")",
    };
}
