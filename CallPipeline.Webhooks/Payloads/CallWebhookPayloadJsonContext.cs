using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallPipeline.Webhooks.Payloads;

/// <summary>snake_case, nulls written out, compact: the wire format businesses integrate against.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CallWebhookPayload))]
public sealed partial class CallWebhookPayloadJsonContext : JsonSerializerContext
{
    /// <summary>
    /// The context payloads are written with: Hebrew names and transcripts, and the + of phone numbers, as plain UTF-8
    /// rather than \u escapes, so a business reads the body as it is. The body is never embedded in HTML.
    /// </summary>
    public static CallWebhookPayloadJsonContext Wire { get; } = new(new JsonSerializerOptions
    {
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    });
}
