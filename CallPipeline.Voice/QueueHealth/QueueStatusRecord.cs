using CallPipeline.Data;
using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.QueueHealth;

/// <summary>
/// <see cref="QueueMonitor.Latest"/> for people (<c>GET /api/queues</c>): the gauges' numbers, with ages in seconds
/// against the gateway's clock, so a page needs no clock of its own. Before the first measurement every field is null;
/// a part that could not be measured (its server down) is null, never zeros.
/// </summary>
/// <param name="TakenAt">When the measurement was taken.</param>
/// <param name="AgeSeconds">How long ago that was; measurements come every <c>Voice:QueueMeasureInterval</c>.</param>
/// <param name="RecordingJobs">The recording-jobs stream in Redis and its consumer group.</param>
/// <param name="Outbox">Recording jobs in Postgres not yet published to the stream.</param>
/// <param name="WebhookDeliveries">Webhook deliveries whose next attempt is due.</param>
/// <param name="OpenDeadLetters">Dead letters not replayed, by kind as the API writes it (<c>recording_job</c>, <c>webhook_delivery</c>).</param>
public sealed record QueueStatusRecord(
    DateTimeOffset? TakenAt,
    double? AgeSeconds,
    RecordingJobsStatus? RecordingJobs,
    OutboxStatus? Outbox,
    DueWebhooksStatus? WebhookDeliveries,
    IReadOnlyDictionary<string, long>? OpenDeadLetters)
{
    public static QueueStatusRecord From(QueueSnapshot? snapshot, DateTimeOffset now)
    {
        if (snapshot is null)
        {
            return new QueueStatusRecord(null, null, null, null, null, null);
        }
        var (stream, database) = (snapshot.Stream, snapshot.Database);
        return new QueueStatusRecord(
            snapshot.TakenAt,
            Seconds(now, snapshot.TakenAt),
            stream is null ? null : new RecordingJobsStatus(
                stream.Stream, stream.Length, stream.Pending, stream.Undelivered, stream.ActiveConsumers, Seconds(now, stream.OldestWaitingSince)),
            database is null ? null : new OutboxStatus(database.OutboxUnpublished, Seconds(now, database.OldestUnpublishedSince)),
            database is null ? null : new DueWebhooksStatus(database.DeliveriesDue, database.DeliveriesOverdue, Seconds(now, database.OldestDueSince)),
            database?.OpenDeadLetters.ToDictionary(p => SnakeCaseEnumConverter<DeadLetterKind>.ToSnakeCase(p.Key.ToString()), p => p.Value));
    }

    /// <summary>Null when nothing waits; never negative, should another replica's clock run ahead.</summary>
    private static double? Seconds(DateTimeOffset now, DateTimeOffset? since) =>
        since is { } at ? Math.Round(Math.Max(0, (now - at).TotalSeconds), 1) : null;
}

/// <param name="Undelivered">Null when Redis cannot tell (before Redis 7).</param>
/// <param name="ActiveConsumers">Workers of the group heard from within the last minute.</param>
/// <param name="OldestWaitingAgeSeconds">How long the oldest job not yet acknowledged has been in the stream; null when none waits.</param>
public sealed record RecordingJobsStatus(string Stream, long Length, long Pending, long? Undelivered, int ActiveConsumers, double? OldestWaitingAgeSeconds);

/// <param name="OldestUnpublishedAgeSeconds">Null when nothing waits to be published.</param>
public sealed record OutboxStatus(long Unpublished, double? OldestUnpublishedAgeSeconds);

/// <param name="Overdue">Of the due ones, those due for longer than <c>Voice:MaxDeliveryAge</c>.</param>
/// <param name="OldestDueAgeSeconds">How long the delivery due the longest has been due; null when none is.</param>
public sealed record DueWebhooksStatus(long Due, long Overdue, double? OldestDueAgeSeconds);
