namespace CallPipeline.WebhookReceiver.Hooks;

/// <summary>What the store did with a verified webhook.</summary>
public enum WebhookAcceptance
{
    /// <summary>Its webhook-id was new: stored.</summary>
    Stored,

    /// <summary>The same webhook-id with the same body again: a retry, not stored again.</summary>
    Duplicate,

    /// <summary>The same webhook-id with another body: the sender reused an id for another event; counted, not stored.</summary>
    DuplicateWithOtherBody,
}
