namespace CallPipeline.WebhookReceiver.Hooks;

/// <summary>Configuration section <c>Receiver</c>.</summary>
public sealed class ReceiverOptions
{
    public const string SectionName = "Receiver";

    /// <summary>whsec_ secret per hook name (<c>Receiver:Secrets:{name}</c>); several space-separated secrets accept any of them.</summary>
    public Dictionary<string, string> Secrets { get; set; } = new(StringComparer.Ordinal);

    /// <summary>How far webhook-timestamp may be from the receiver's clock.</summary>
    public TimeSpan Tolerance { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Accepted deliveries kept per hook; the oldest go first. It is a dev double, not an archive.</summary>
    public int MaxDeliveriesPerHook { get; set; } = 10_000;
}
