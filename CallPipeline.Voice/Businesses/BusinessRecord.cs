using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Businesses;

/// <summary>A business as the operator API shows it. Its webhook secret is never part of it.</summary>
public sealed record BusinessRecord(
    int Id,
    string Name,
    string? Kind,
    string? Description,
    IReadOnlyList<string> PhoneNumbers,
    string Region,
    string Language,
    string? Vocabulary,
    string? InboundWebhookUrl,
    string? OutboundWebhookUrl,
    string? GenericWebhookUrl,
    bool WebhooksEnabled,
    DateTimeOffset? PreviousWebhookSecretValidUntil,
    int RecordingRetentionDays,
    int? TranscriptRetentionDays,
    bool Active,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt)
{
    public static BusinessRecord From(Business business) => new(
        business.Id,
        business.Name,
        business.Kind,
        business.Description,
        business.PhoneNumbers(),
        business.Region,
        business.Language,
        business.Vocabulary,
        business.InboundWebhookUrl,
        business.OutboundWebhookUrl,
        business.GenericWebhookUrl,
        business.WebhooksEnabled,
        business.PreviousWebhookSecretExpiresAt,
        business.RecordingRetentionDays,
        business.TranscriptRetentionDays,
        business.IsActive,
        business.CreatedAt,
        business.UpdatedAt);
}

/// <summary>
/// <c>POST /api/businesses</c>'s answer: the business and its first webhook secret, shown this once (the business
/// verifies webhooks with it; a lost one is replaced by rotating).
/// </summary>
public sealed record CreatedBusinessRecord(BusinessRecord Business, string WebhookSecret);
