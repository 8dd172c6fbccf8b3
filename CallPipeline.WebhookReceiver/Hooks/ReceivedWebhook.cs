namespace CallPipeline.WebhookReceiver.Hooks;

/// <summary>One accepted webhook as it arrived the first time; <see cref="AttemptsSeen"/> counts every correctly signed arrival of its id.</summary>
public sealed record ReceivedWebhook(
    string Id,
    long Timestamp,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int AttemptsSeen,
    DateTimeOffset ReceivedAt);
