namespace CallPipeline.Data.Entities;

public enum WebhookDeliveryStatus
{
    Pending,
    Delivered,
    Failed,
    /// <summary>The endpoint answered 410 Gone or webhooks are turned off for the business.</summary>
    Disabled,
}
