using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.QueueHealth;

/// <summary>
/// The queues as <see cref="QueueMonitor"/> last measured them. A part it could not measure (its server down) is null;
/// the gauges then report nothing for it and the health checks judge by the rest.
/// </summary>
public sealed record QueueSnapshot(DateTimeOffset TakenAt, RecordingStreamState? Stream, DatabaseQueueState? Database);

/// <param name="Length">Entries in the recording-jobs stream (XLEN), acknowledged ones not yet trimmed included.</param>
/// <param name="Pending">Entries delivered to a worker and not acknowledged (the group's PEL).</param>
/// <param name="Undelivered">Entries no worker has been given yet (the group's lag; null when Redis cannot tell).</param>
/// <param name="ActiveConsumers">Workers of the group heard from within the last minute.</param>
/// <param name="OldestWaitingSince">When the oldest job not yet acknowledged was added, pending or undelivered.</param>
/// <param name="OldestUndeliveredSince">When the oldest entry no worker has read was added.</param>
/// <param name="IdlePendingPastLimit">The idle time of a pending entry no worker has heard from for longer than the limit.</param>
public sealed record RecordingStreamState(
    string Stream,
    long Length,
    long Pending,
    long? Undelivered,
    int ActiveConsumers,
    DateTimeOffset? OldestWaitingSince,
    DateTimeOffset? OldestUndeliveredSince,
    TimeSpan? IdlePendingPastLimit);

/// <param name="OutboxUnpublished">Recording jobs written to the outbox and not yet published to Redis.</param>
/// <param name="DeliveriesDue">Pending webhook deliveries whose next attempt is due now.</param>
/// <param name="DeliveriesOverdue">Of those, the ones due for longer than <see cref="VoiceOptions.MaxDeliveryAge"/>.</param>
/// <param name="OldestDueSince">When the delivery due the longest became due.</param>
/// <param name="OpenDeadLetters">Dead letters not replayed, by kind.</param>
public sealed record DatabaseQueueState(
    long OutboxUnpublished,
    DateTimeOffset? OldestUnpublishedSince,
    long DeliveriesDue,
    long DeliveriesOverdue,
    DateTimeOffset? OldestDueSince,
    IReadOnlyDictionary<DeadLetterKind, long> OpenDeadLetters);
