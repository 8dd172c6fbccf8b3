using System.Text.Encodings.Web;
using System.Text.Json;

namespace CallPipeline.DevDoubles.OpenAi;

/// <summary>OpenAI's wire naming: snake_case properties, nulls written (e.g. <c>"param": null</c>, <c>"refusal": null</c>).</summary>
public static class OpenAiJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        // OpenAI writes Hebrew as is, not as \u escapes.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };
}
