namespace CallPipeline.OperatorConsole.OperatorApi;

public sealed record Business(
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
    bool Active,
    DateTimeOffset CreatedAt);

/// <summary>What the console creates or changes on a business (<c>POST</c>, and <c>PATCH</c> as a merge patch of every field).</summary>
public sealed record BusinessChange(
    string Name,
    IReadOnlyList<string> PhoneNumbers,
    string Region,
    string Language,
    string? Vocabulary,
    string? InboundWebhookUrl,
    string? OutboundWebhookUrl,
    string? GenericWebhookUrl,
    bool Active);

public sealed record CreatedBusiness(Business Business, string WebhookSecret);

public sealed record RotatedWebhookSecret(int BusinessId, string WebhookSecret, DateTimeOffset? PreviousSecretValidUntil);
