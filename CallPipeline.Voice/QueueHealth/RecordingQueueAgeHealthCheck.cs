using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CallPipeline.Voice.QueueHealth;

/// <summary>
/// Whether workers are consuming recording jobs, from <see cref="QueueMonitor"/>'s last measurement: Degraded, with the
/// reason, when the oldest job still waiting is older than <see cref="VoiceOptions.MaxQueueAge"/>. Waiting means
/// unpublished in the outbox (Redis refuses it), undelivered in the stream (no worker reads), or delivered and idle that
/// long (its worker stopped heartbeating and nobody claimed it). Also Degraded when the measurements have stopped.
/// </summary>
public sealed class RecordingQueueAgeHealthCheck(QueueMonitor monitor, IOptions<VoiceOptions> voice, TimeProvider time) : IHealthCheck
{
    public const string Name = "recording-queue-age";

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(Check());

    private HealthCheckResult Check()
    {
        var limit = voice.Value.MaxQueueAge;
        var now = time.GetUtcNow();
        if (QueueSnapshots.Stale(monitor.Latest, voice.Value, now) is { } stale)
        {
            return stale;
        }
        var (stream, database) = (monitor.Latest!.Stream, monitor.Latest.Database);
        if (database?.OldestUnpublishedSince is { } created && now - created > limit)
        {
            return HealthCheckResult.Degraded(
                $"a recording job has waited {QueueSnapshots.Seconds(now - created)} in the outbox (limit {QueueSnapshots.Seconds(limit)}): the relay cannot publish to Redis");
        }
        if (stream?.OldestUndeliveredSince is { } added && now - added > limit)
        {
            return HealthCheckResult.Degraded(
                $"a recording job has waited {QueueSnapshots.Seconds(now - added)} in stream {stream.Stream} for a worker (limit {QueueSnapshots.Seconds(limit)}): no worker is reading");
        }
        if (stream?.IdlePendingPastLimit is { } idle)
        {
            return HealthCheckResult.Degraded(
                $"a recording job in stream {stream.Stream} has not been heard from by its worker for {QueueSnapshots.Seconds(idle)} (limit {QueueSnapshots.Seconds(limit)}): no live worker claimed it");
        }
        var oldest = new[] { database?.OldestUnpublishedSince, stream?.OldestWaitingSince }.Min();
        return HealthCheckResult.Healthy(oldest is { } since ? $"the oldest waiting recording job is {QueueSnapshots.Seconds(now - since)} old" : "no recording job is waiting");
    }
}
