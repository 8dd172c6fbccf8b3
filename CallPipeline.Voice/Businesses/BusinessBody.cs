using System.Text.Json.Serialization;

namespace CallPipeline.Voice.Businesses;

/// <summary>
/// A business as the operator writes it: every field of <c>POST /api/businesses</c>, and of <c>PATCH</c>, where only the
/// fields present change and null clears an optional one. An unknown field is refused, so a misspelt one is not lost.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed record BusinessBody(
    string? Name = null,
    string? Kind = null,
    string? Description = null,
    IReadOnlyList<string>? PhoneNumbers = null,
    string? Region = null,
    string? Language = null,
    string? Vocabulary = null,
    string? InboundWebhookUrl = null,
    string? OutboundWebhookUrl = null,
    string? GenericWebhookUrl = null,
    bool? WebhooksEnabled = null,
    int? RecordingRetentionDays = null,
    int? TranscriptRetentionDays = null,
    bool? Active = null);
