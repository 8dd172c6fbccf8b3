namespace CallPipeline.Data.Entities;

public enum DeadLetterKind
{
    /// <summary>A recording job that failed for good or ran out of deliveries (or an entry no job could be read from).</summary>
    RecordingJob,

    /// <summary>A webhook delivery that gave up: its retry schedule ran out, or it could not be sent at all.</summary>
    WebhookDelivery,
}
