namespace CallPipeline.Data.Entities;

/// <summary>A business that answers calls on one Twilio number.</summary>
public class Business
{
    public const int DefaultRecordingRetentionDays = 7;

    public int Id { get; set; }
    public required string Name { get; set; }
    /// <summary>What the business does ("plumbing", "dental clinic"); given to the summariser as context.</summary>
    public string? Kind { get; set; }
    /// <summary>The business's main Twilio number in E.164. Calls are matched on it and on <see cref="AdditionalPhoneNumbers"/> exactly.</summary>
    public required string PhoneE164 { get; set; }
    /// <summary>
    /// The business's other Twilio numbers in E.164. No two active businesses share a number; the operator API checks
    /// this under one lock for both columns, and the unique index on <see cref="PhoneE164"/> backs it for main numbers.
    /// </summary>
    public List<string> AdditionalPhoneNumbers { get; set; } = [];
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
    /// <summary>The secret a rotation replaced: deliveries are signed with it too until <see cref="PreviousWebhookSecretExpiresAt"/>.</summary>
    public string? PreviousWebhookSecret { get; set; }
    public DateTimeOffset? PreviousWebhookSecretExpiresAt { get; set; }
    public bool WebhooksEnabled { get; set; } = true;
    /// <summary>Days a call's recording is kept (at Twilio and here) before the retention sweep deletes it; 7 as the original system.</summary>
    public int RecordingRetentionDays { get; set; } = DefaultRecordingRetentionDays;
    /// <summary>Days a call's transcripts, summary and extraction are kept; null keeps them until erased on request.</summary>
    public int? TranscriptRetentionDays { get; set; }
    public bool IsActive { get; set; } = true;
    public DateTimeOffset CreatedAt { get; set; }
    public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>Every number of the business, the main one first.</summary>
    public IReadOnlyList<string> PhoneNumbers() => [PhoneE164, .. AdditionalPhoneNumbers];

    public bool HasNumber(string e164) => PhoneE164 == e164 || AdditionalPhoneNumbers.Contains(e164);
}
