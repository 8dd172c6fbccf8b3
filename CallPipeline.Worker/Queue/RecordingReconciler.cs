using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Tracing;
using CallPipeline.RecordingJobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Worker.Queue;

/// <summary>
/// Postgres is the source of truth, Redis only carries the work. Every <see cref="QueueOptions.StreamCheckInterval"/>
/// (or at once when the consumer saw NOGROUP) it makes sure the stream's group exists; when it had to create it, Redis
/// lost its data (restart without persistence, failover, FLUSHALL), and every call queued or abandoned in flight is
/// queued again at once. Every <see cref="QueueOptions.ReconcileInterval"/> it also queues what Redis should have
/// delivered by now and did not: calls recorded longer than <see cref="QueueOptions.ReconcileGracePeriod"/> ago, and
/// calls in processing whose lease expired that long ago (their worker died and no redelivery took them over); and
/// what Twilio's lost recording callback would have queued: calls ended longer than
/// <see cref="QueueOptions.StalledCallGracePeriod"/> ago that have audio to process.
/// Jobs go through the outbox like every other producer's; the voice gateway's relay publishes them.
/// </summary>
public sealed partial class RecordingReconciler(
    IServiceScopeFactory scopes,
    RecordingJobQueue queue,
    StreamCheckSignal streamCheck,
    IOptions<RecordingJobStreamOptions> stream,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<RecordingReconciler> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private readonly QueueOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var recoveryDue = false;
        var nextPass = time.GetUtcNow();
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                recoveryDue |= await GroupWasLostAsync();
                if (recoveryDue)
                {
                    // Kept due until a pass succeeds: the group is there again, so nothing else would notice the loss.
                    recoveryDue = !await TryRequeueAsync(afterDataLoss: true, stoppingToken);
                }
                if (nextPass <= time.GetUtcNow())
                {
                    await TryRequeueAsync(afterDataLoss: false, stoppingToken);
                    nextPass = time.GetUtcNow() + _options.ReconcileInterval;
                }
                await streamCheck.WaitAsync(_options.StreamCheckInterval, stoppingToken);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> GroupWasLostAsync()
    {
        try
        {
            if (!await queue.EnsureGroupAsync())
            {
                return false;
            }
            LogGroupCreated(logger, stream.Value.ConsumerGroup, stream.Value.Stream);
            return true;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            // Redis is unreachable; the consumer reports that on /health. The next check looks again.
            return false;
        }
    }

    private async Task<bool> TryRequeueAsync(bool afterDataLoss, CancellationToken cancellationToken)
    {
        try
        {
            var queued = 0;
            int handled;
            do
            {
                (handled, var batchQueued) = await RequeueBatchAsync(afterDataLoss, cancellationToken);
                queued += batchQueued;
            }
            while (handled == BatchSize);
            if (afterDataLoss)
            {
                LogRecovered(logger, queued);
            }
            return true;
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogFailed(logger, ex.GetType().Name, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Writes a job to the outbox for up to one batch of calls, each moved back to recorded in the same transaction.
    /// Rows are locked with SKIP LOCKED, so replicas share the work and never queue one call twice; calls that already
    /// have an unpublished job in the outbox are left to it.
    /// </summary>
    /// <returns>How many calls the batch took (queued or failed), and how many of them were queued.</returns>
    private async Task<(int Handled, int Queued)> RequeueBatchAsync(bool afterDataLoss, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
        var (handled, requeuedCalls, failedCalls) = await db.InTransactionAsync(async ct =>
        {
            var now = time.GetUtcNow();
            // After a loss nothing in Redis can be waited for: every recorded call, every call in processing that no live
            // lease accounts for. Otherwise Redis gets the grace period to deliver, or to redeliver an abandoned entry.
            var waitedSince = afterDataLoss ? now : now - _options.ReconcileGracePeriod;
            // A lost Twilio callback has nothing to do with Redis: the same bound after a loss as in every pass.
            var stalledSince = now - _options.StalledCallGracePeriod;
            var recorded = ToText(PipelineStatus.Recorded);
            var processing = ToText(PipelineStatus.Processing);
            var ended = ToText(PipelineStatus.Ended);
            var calls = await db.CallLogs.FromSql($"""
                SELECT c.* FROM call_logs c
                WHERE ((c.pipeline_status = {recorded} AND c.updated_at < {waitedSince})
                    OR (c.pipeline_status = {processing}
                        AND (COALESCE(c.processing_lease_expires_at, c.updated_at) < {waitedSince} OR ({afterDataLoss} AND c.processing_owner IS NULL)))
                    OR (c.pipeline_status = {ended} AND c.updated_at < {stalledSince}
                        AND (c.recording_sid IS NOT NULL OR c.stream_finalized_at IS NOT NULL)))
                  AND NOT EXISTS (SELECT 1 FROM outbox_messages m
                      WHERE m.topic = {RecordingJob.Topic} AND m.published_at IS NULL AND m.payload ->> {RecordingJob.CallSidProperty} = c.call_sid)
                ORDER BY c.updated_at
                LIMIT {BatchSize}
                FOR UPDATE OF c SKIP LOCKED
                """).ToListAsync(ct);
            var requeued = new List<(string CallSid, PipelineStatus Status, DateTimeOffset Since)>();
            var failed = new List<(string CallSid, int Attempts)>();
            foreach (var call in calls)
            {
                var (status, since) = (call.PipelineStatus, call.UpdatedAt);
                call.ProcessingOwner = null;
                call.ProcessingLeaseExpiresAt = null;
                call.UpdatedAt = now;
                if (status == PipelineStatus.Processing && call.ProcessingAttempts >= _options.MaxDeliveries)
                {
                    // As the stream would dead-letter an entry that keeps killing its worker: no endless re-queuing.
                    call.PipelineStatus = PipelineStatus.Failed;
                    call.ErrorReason = $"abandoned in processing after {call.ProcessingAttempts} attempts: its worker stopped each time";
                    failed.Add((call.CallSid, call.ProcessingAttempts));
                    continue;
                }
                requeued.Add((call.CallSid, status, since));
                var job = new RecordingJob(call.CallSid, call.RecordingSid ?? "");
                // The job continues the call's own trace, so a re-queued run shows beside the first.
                db.OutboxMessages.Add(job.ToOutboxMessage($"{call.RecordingSid ?? call.CallSid}:requeue:{now.ToUnixTimeMilliseconds()}", now, TraceContext.From(call.TraceParent, call.TraceState)));
                // Back to recorded with a fresh time: the call waits for this job now, and the grace period starts again.
                call.PipelineStatus = PipelineStatus.Recorded;
            }
            await db.SaveChangesAsync(ct);
            return (calls.Count, requeued, failed);
        }, cancellationToken);
        foreach (var (callSid, status, since) in requeuedCalls)
        {
            if (status == PipelineStatus.Ended)
            {
                LogStalledQueued(logger, callSid, since);
            }
            else
            {
                LogRequeued(logger, callSid, status, since);
            }
        }
        foreach (var (callSid, attempts) in failedCalls)
        {
            LogGaveUp(logger, callSid, attempts);
        }
        return (handled, requeuedCalls.Count);
    }

    private static string ToText(PipelineStatus status) => SnakeCaseEnumConverter<PipelineStatus>.ToSnakeCase(status.ToString());

    [LoggerMessage(LogLevel.Warning, "Group {Group} of stream {Stream} did not exist and was created (a first start, or Redis lost its data): calls queued or abandoned are queued again from Postgres")]
    private static partial void LogGroupCreated(ILogger logger, string group, string stream);

    [LoggerMessage(LogLevel.Warning, "Recovery after Redis lost its data queued {Count} calls again through the outbox")]
    private static partial void LogRecovered(ILogger logger, int count);

    [LoggerMessage(LogLevel.Warning, "Reconciler queued {CallSid} again: {Status} since {Since}")]
    private static partial void LogRequeued(ILogger logger, string callSid, PipelineStatus status, DateTimeOffset since);

    [LoggerMessage(LogLevel.Warning, "Reconciler queued {CallSid}: ended since {Since} without Twilio's recording callback; it is processed with the audio it has")]
    private static partial void LogStalledQueued(ILogger logger, string callSid, DateTimeOffset since);

    [LoggerMessage(LogLevel.Warning, "Call {CallSid} failed: abandoned in processing after {Attempts} attempts, its worker stopped each time")]
    private static partial void LogGaveUp(ILogger logger, string callSid, int attempts);

    [LoggerMessage(LogLevel.Warning, "Reconciliation pass failed ({Error}: {Message}); the next pass tries again")]
    private static partial void LogFailed(ILogger logger, string error, string message);
}
