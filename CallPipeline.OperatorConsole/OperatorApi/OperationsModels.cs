namespace CallPipeline.OperatorConsole.OperatorApi;

public sealed record DeadLetter(
    long Id,
    string Kind,
    string Status,
    string? CallSid,
    int? BusinessId,
    string? WebhookId,
    string? EventType,
    string Reason,
    int Attempts,
    DateTimeOffset FirstFailedAt,
    DateTimeOffset LastFailedAt,
    DateTimeOffset? ReplayedAt);

public sealed record DeadLetterPage(int Page, int PageSize, int Total, IReadOnlyList<DeadLetter> Items);

public sealed record BusinessWebhookDelivery(string CallSid, bool Failing, WebhookDelivery Delivery);

/// <summary>The queues as the gateway last measured them; a part it could not measure (its server down) is null.</summary>
public sealed record QueueMeasurement(
    DateTimeOffset? TakenAt,
    double? AgeSeconds,
    RecordingJobsQueue? RecordingJobs,
    OutboxQueue? Outbox,
    DueWebhooks? WebhookDeliveries,
    IReadOnlyDictionary<string, long>? OpenDeadLetters);

public sealed record RecordingJobsQueue(string Stream, long Length, long Pending, long? Undelivered, int ActiveConsumers, double? OldestWaitingAgeSeconds);

public sealed record OutboxQueue(long Unpublished, double? OldestUnpublishedAgeSeconds);

public sealed record DueWebhooks(long Due, long Overdue, double? OldestDueAgeSeconds);
