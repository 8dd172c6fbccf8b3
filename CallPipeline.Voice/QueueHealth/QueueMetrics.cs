using System.Diagnostics.Metrics;
using CallPipeline.Data;
using CallPipeline.Voice.Telemetry;

namespace CallPipeline.Voice.QueueHealth;

/// <summary>
/// The queue gauges on the gateway's meter: each callback reads <see cref="QueueMonitor.Latest"/>, so an export never
/// waits on Redis or Postgres. A part the monitor could not measure reports nothing, rather than a misleading zero.
/// </summary>
public static class QueueMetrics
{
    public static void Register(IMeterFactory meterFactory, QueueMonitor monitor, TimeProvider time, VoiceOptions options)
    {
        var meter = meterFactory.Create(VoiceMetrics.MeterName);
        meter.CreateObservableGauge("callpipeline.recording_jobs.stream.length", () => Stream(monitor, s => s.Length), unit: "{entry}",
            description: "Entries in the recording-jobs stream, acknowledged ones not yet trimmed included.");
        meter.CreateObservableGauge("callpipeline.recording_jobs.pending", () => Stream(monitor, s => s.Pending), unit: "{entry}",
            description: "Recording jobs delivered to a worker and not yet acknowledged.");
        meter.CreateObservableGauge("callpipeline.recording_jobs.undelivered", () => Stream(monitor, s => s.Undelivered), unit: "{entry}",
            description: "Recording jobs no worker has been given yet (the consumer group's lag).");
        meter.CreateObservableGauge("callpipeline.recording_jobs.oldest_waiting.age", () => Age(monitor, time, m => m.Stream, s => s.OldestWaitingSince), unit: "s",
            description: "How long the oldest recording job not yet acknowledged (pending or undelivered) has been in the stream.");
        meter.CreateObservableGauge("callpipeline.recording_jobs.consumers", () => Stream(monitor, s => s.ActiveConsumers), unit: "{consumer}",
            description: "Workers of the consumer group heard from within the last minute.");
        meter.CreateObservableGauge("callpipeline.recording_jobs.outbox.unpublished", () => Database(monitor, d => d.OutboxUnpublished), unit: "{job}",
            description: "Recording jobs in the outbox not yet published to Redis.");
        meter.CreateObservableGauge("callpipeline.webhooks.deliveries.due", () => Database(monitor, d => d.DeliveriesDue), unit: "{delivery}",
            description: "Webhook deliveries whose next attempt is due now.");
        meter.CreateObservableGauge("callpipeline.webhooks.deliveries.overdue", () => Database(monitor, d => d.DeliveriesOverdue), unit: "{delivery}",
            description: $"Webhook deliveries due for longer than Voice:MaxDeliveryAge ({options.MaxDeliveryAge}).");
        meter.CreateObservableGauge("callpipeline.webhooks.deliveries.oldest_due.age", () => Age(monitor, time, m => m.Database, d => d.OldestDueSince), unit: "s",
            description: "How long the delivery due the longest has been due.");
        meter.CreateObservableGauge("callpipeline.dead_letters.open", () => DeadLetters(monitor), unit: "{dead_letter}",
            description: "Dead letters not replayed, by kind (recording_job, webhook_delivery).");
    }

    private static IEnumerable<Measurement<long>> Stream(QueueMonitor monitor, Func<RecordingStreamState, long?> value) =>
        monitor.Latest?.Stream is { } stream && value(stream) is { } measured ? [new(measured)] : [];

    private static IEnumerable<Measurement<long>> Database(QueueMonitor monitor, Func<DatabaseQueueState, long> value) =>
        monitor.Latest?.Database is { } database ? [new(value(database))] : [];

    /// <summary>Zero when nothing waits; nothing when the part was not measured.</summary>
    private static IEnumerable<Measurement<double>> Age<TPart>(QueueMonitor monitor, TimeProvider time, Func<QueueSnapshot, TPart?> part, Func<TPart, DateTimeOffset?> since)
        where TPart : class
    {
        if (monitor.Latest is not { } snapshot || part(snapshot) is not { } measured)
        {
            return [];
        }
        return since(measured) is { } at ? [new(Math.Max(0, (time.GetUtcNow() - at).TotalSeconds))] : [new(0)];
    }

    private static IEnumerable<Measurement<long>> DeadLetters(QueueMonitor monitor) =>
        monitor.Latest?.Database?.OpenDeadLetters.Select(pair =>
            new Measurement<long>(pair.Value, new KeyValuePair<string, object?>("kind", SnakeCaseEnumConverter<Data.Entities.DeadLetterKind>.ToSnakeCase(pair.Key.ToString()))))
        ?? [];
}
