namespace CallPipeline.Data.Entities;

/// <summary>A business that answers calls on one Twilio number.</summary>
public class Business
{
    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>What the business does ("plumbing", "dental clinic"); given to the summariser as context.</summary>
    public string? Kind { get; set; }
    /// <summary>The Twilio number in E.164. Calls are matched on this column exactly.</summary>
    public required string PhoneE164 { get; set; }
    /// <summary>ISO 3166 region used as the default when a number arrives without a country code.</summary>
    public string Region { get; set; } = "IL";
    /// <summary>ISO 639-1 language of the calls, passed to transcription.</summary>
    public string Language { get; set; } = "he";
    /// <summary>Words the business's callers use (places, services, product names) for transcription prompts.</summary>
    public string? Vocabulary { get; set; }
    public string? Description { get; set; }
    public string? InboundWebhookUrl { get; set; }
    public string? OutboundWebhookUrl { get; set; }
    public string? GenericWebhookUrl { get; set; }
    /// <summary>Standard Webhooks signing secret in the whsec_ format.</summary>
    public string? WebhookSecret { get; set; }
    public bool WebhooksEnabled { get; set; } = true;
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }
}
