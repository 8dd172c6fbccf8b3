using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.Data.Messages;
using CallPipeline.Data.Tracing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Worker.Queue;

/// <summary>
/// Postgres is the source of truth: calls whose recording is ready (recorded) but that no job finished within the grace
/// period, and calls stuck in processing past the timeout, get a job again. One replica reconciles at a time.
/// </summary>
public sealed partial class RecordingReconciler(
    IServiceScopeFactory scopes,
    RecordingJobQueue queue,
    IConnectionMultiplexer redis,
    IOptions<WorkerOptions> options,
    TimeProvider time,
    ILogger<RecordingReconciler> logger) : BackgroundService
{
    private const int BatchSize = 100;
    private readonly WorkerOptions _options = options.Value;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(_options.ReconcileInterval, time);
        try
        {
            do
            {
                try
                {
                    await ReconcileOnceAsync(stoppingToken);
                }
                catch (Exception ex) when (!stoppingToken.IsCancellationRequested)
                {
                    LogFailed(logger, ex.GetType().Name, ex.Message);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <returns>How many calls were queued again.</returns>
    public async Task<int> ReconcileOnceAsync(CancellationToken cancellationToken)
    {
        var owner = $"{_options.ConsumerName}:reconciler";
        var lockKey = (RedisKey)$"{_options.Stream}:reconciler";
        if (!await redis.GetDatabase().LockTakeAsync(lockKey, owner, _options.ReconcileInterval))
        {
            return 0;
        }

        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
            var now = time.GetUtcNow();
            var recordedBefore = now - _options.ReconcileGracePeriod;
            var processingBefore = now - _options.ProcessingTimeout;
            var stuck = await db.CallLogs
                .AsNoTracking()
                .Where(c => (c.PipelineStatus == PipelineStatus.Recorded && c.UpdatedAt < recordedBefore)
                    || (c.PipelineStatus == PipelineStatus.Processing && c.UpdatedAt < processingBefore))
                .OrderBy(c => c.UpdatedAt)
                .Take(BatchSize)
                .Select(c => new { c.Id, c.CallSid, c.RecordingSid, c.PipelineStatus, c.UpdatedAt, c.TraceParent, c.TraceState })
                .ToListAsync(cancellationToken);

            foreach (var call in stuck)
            {
                // The job continues the call's own trace, so a re-queued run shows beside the first.
                await queue.EnqueueAsync(new RecordingJob(call.CallSid, call.RecordingSid ?? ""), TraceContext.From(call.TraceParent, call.TraceState));
                // Touching the row restarts its grace period, so the next pass does not queue it again at once.
                await db.CallLogs
                    .Where(c => c.Id == call.Id && c.PipelineStatus == call.PipelineStatus)
                    .ExecuteUpdateAsync(set => set.SetProperty(c => c.UpdatedAt, now), cancellationToken);
                LogRequeued(logger, call.CallSid, call.PipelineStatus, call.UpdatedAt);
            }
            return stuck.Count;
        }
        finally
        {
            await redis.GetDatabase().LockReleaseAsync(lockKey, owner);
        }
    }

    [LoggerMessage(LogLevel.Warning, "Reconciler queued {CallSid} again: {Status} since {Since}")]
    private static partial void LogRequeued(ILogger logger, string callSid, PipelineStatus status, DateTimeOffset since);

    [LoggerMessage(LogLevel.Warning, "Reconciliation pass failed ({Error}: {Message}); the next pass tries again")]
    private static partial void LogFailed(ILogger logger, string error, string message);
}
