using System.Text.Json;
using System.Text.Json.Nodes;

namespace CallPipeline.DevDoubles.OpenAi.Chat;

/// <summary>
/// Builds the JSON a structured-output model would return for a schema: properties the double understands (city,
/// service, customer name, confidence, summary) from the call's facts, everything else a type-appropriate default
/// (null where the schema allows null), so the answer always validates against the schema.
/// </summary>
public sealed class SchemaFiller(JsonElement root, CallFacts facts, string summary)
{
    private const int MaxDepth = 16;

    public JsonNode? Fill() => Fill(root, propertyName: null, depth: 0);

    private JsonNode? Fill(JsonElement schema, string? propertyName, int depth)
    {
        schema = Resolve(schema);
        if (schema.ValueKind != JsonValueKind.Object || depth > MaxDepth)
        {
            return null;
        }
        if (schema.TryGetProperty("const", out var constant))
        {
            return JsonNode.Parse(constant.GetRawText());
        }

        var types = TypesOf(schema, out var anyOfBranch, depth);
        if (anyOfBranch is { } branch)
        {
            return types.Contains("null") && Known(propertyName) is null && !IsConfidence(propertyName)
                ? null
                : Fill(branch, propertyName, depth + 1);
        }
        var nullable = types.Contains("null");
        var type = types.FirstOrDefault(candidate => candidate != "null")
            ?? (schema.TryGetProperty("properties", out _) ? "object" : "string");

        if (schema.TryGetProperty("enum", out var options) && options.ValueKind == JsonValueKind.Array)
        {
            var known = Known(propertyName);
            var values = options.EnumerateArray().ToList();
            var match = values.FirstOrDefault(value => value.ValueKind == JsonValueKind.String && value.GetString() == known);
            if (match.ValueKind != JsonValueKind.Undefined)
            {
                return JsonValue.Create(match.GetString());
            }
            return nullable || values.Count == 0 ? null : JsonNode.Parse(values[0].GetRawText());
        }

        return type switch
        {
            "string" => Known(propertyName) is { } text ? JsonValue.Create(text) : nullable ? null : JsonValue.Create(""),
            "number" => Number(schema, propertyName, nullable, integer: false),
            "integer" => Number(schema, propertyName, nullable, integer: true),
            "boolean" => nullable ? null : JsonValue.Create(false),
            "array" => Array(schema, depth),
            "object" => Object(schema, depth),
            _ => null,
        };
    }

    private JsonObject Object(JsonElement schema, int depth)
    {
        var result = new JsonObject();
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in properties.EnumerateObject())
            {
                result[property.Name] = Fill(property.Value, property.Name, depth + 1);
            }
        }
        return result;
    }

    private JsonArray Array(JsonElement schema, int depth)
    {
        var result = new JsonArray();
        // Bounded: a schema asking for a million items must not make the double allocate them.
        var minimum = schema.TryGetProperty("minItems", out var minItems) && minItems.ValueKind == JsonValueKind.Number && minItems.TryGetInt32(out var count) ? Math.Clamp(count, 0, 64) : 0;
        if (schema.TryGetProperty("items", out var items))
        {
            for (var i = 0; i < minimum; i++)
            {
                result.Add(Fill(items, propertyName: null, depth + 1));
            }
        }
        return result;
    }

    private JsonNode? Number(JsonElement schema, string? propertyName, bool nullable, bool integer)
    {
        double? value = IsConfidence(propertyName) ? facts.Confidence : nullable ? null : 0;
        if (value is not { } number)
        {
            return null;
        }
        if (schema.TryGetProperty("minimum", out var min) && min.ValueKind == JsonValueKind.Number && min.TryGetDouble(out var low))
        {
            number = Math.Max(number, low);
        }
        if (schema.TryGetProperty("maximum", out var max) && max.ValueKind == JsonValueKind.Number && max.TryGetDouble(out var high))
        {
            number = Math.Min(number, high);
        }
        return integer ? JsonValue.Create((long)Math.Round(number)) : JsonValue.Create(number);
    }

    private string? Known(string? propertyName) => Normalise(propertyName) switch
    {
        "city" or "extractedcity" or "location" => facts.City,
        "service" or "extractedservice" or "servicetype" or "requestedservice" => facts.Service,
        "customername" or "callername" or "name" or "customer" => facts.CustomerName,
        "summary" => summary,
        _ => null,
    };

    private static bool IsConfidence(string? propertyName) => Normalise(propertyName) is "confidence" or "extractionconfidence";

    private static string Normalise(string? name) =>
        name is null ? "" : new string([.. name.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant)]);

    /// <summary>The schema's types; for anyOf, the union of its branches and the first non-null branch to fill from.</summary>
    private HashSet<string> TypesOf(JsonElement schema, out JsonElement? branch, int depth)
    {
        branch = null;
        var types = new HashSet<string>(StringComparer.Ordinal);
        if (depth > MaxDepth || schema.ValueKind != JsonValueKind.Object)
        {
            return types;
        }
        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                types.UnionWith(type.EnumerateArray().Where(item => item.ValueKind == JsonValueKind.String).Select(item => item.GetString()!));
            }
        }
        if (schema.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
        {
            foreach (var option in anyOf.EnumerateArray().Select(Resolve))
            {
                var optionTypes = TypesOf(option, out _, depth + 1);
                types.UnionWith(optionTypes);
                if (branch is null && !(optionTypes.Count == 1 && optionTypes.Contains("null")))
                {
                    branch = option;
                }
            }
        }
        return types;
    }

    private JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < MaxDepth && schema.ValueKind == JsonValueKind.Object
             && schema.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String
             && reference.GetString() is { } pointer; hops++)
        {
            var target = root;
            foreach (var segment in pointer.TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (target.ValueKind != JsonValueKind.Object || !target.TryGetProperty(segment.Replace("~1", "/").Replace("~0", "~"), out target))
                {
                    return default;
                }
            }
            schema = target;
        }
        return schema;
    }
}
