namespace CallPipeline.MigrationService;

/// <summary>The demo business seeded in Development. Its webhooks go to the fake receiver in the graph.</summary>
public sealed class DemoBusinessOptions
{
    public const string SectionName = "DemoBusiness";
    public const string DefaultPhone = "+97235550100";

    public string Name { get; set; } = "Demo Plumbing";
    public string PhoneE164 { get; set; } = DefaultPhone;
    /// <summary>Base URL of the webhook receiver; without it the demo business has no webhook URLs.</summary>
    public string? WebhookReceiverUrl { get; set; }
    public string? WebhookSecret { get; set; }
}
