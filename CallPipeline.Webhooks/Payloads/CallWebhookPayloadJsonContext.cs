using System.Text.Json.Serialization;

namespace CallPipeline.Webhooks.Payloads;

/// <summary>snake_case, nulls written out, compact: the wire format businesses integrate against.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never)]
[JsonSerializable(typeof(CallWebhookPayload))]
public sealed partial class CallWebhookPayloadJsonContext : JsonSerializerContext;
