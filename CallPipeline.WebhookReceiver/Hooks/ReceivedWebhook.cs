namespace CallPipeline.WebhookReceiver.Hooks;

/// <summary>
/// One accepted webhook as it arrived the first time; <see cref="AttemptsSeen"/> counts every correctly signed arrival of
/// its id, and <see cref="OtherBodiesSeen"/> those accepted later with a different body: a sender that reused the id for
/// another event, which a business deduplicating by id would silently drop.
/// </summary>
public sealed record ReceivedWebhook(
    string Id,
    long Timestamp,
    IReadOnlyDictionary<string, string> Headers,
    string Body,
    int AttemptsSeen,
    DateTimeOffset ReceivedAt,
    int OtherBodiesSeen = 0);
