using System.Collections.Concurrent;
using CallPipeline.Data;
using CallPipeline.Data.DeadLetters;
using CallPipeline.Data.Tracing;
using CallPipeline.RecordingJobs;
using CallPipeline.Worker.Telemetry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Worker.Queue;

/// <summary>
/// One consumer of the recording-jobs group running up to Worker:Concurrency jobs. StackExchange.Redis has no blocking
/// XREADGROUP, so it polls with backoff and is woken early by the nudge channel. After a start it first finishes its own
/// pending entries; entries idle past Worker:ClaimIdleTime (dead consumers, failed attempts) are taken over with XAUTOCLAIM.
/// The group is the reconciler's to create: when it is missing, Redis lost the jobs and they come back from Postgres.
/// Each job runs in <see cref="IRecordingJobHandler"/>; its <see cref="JobResult"/> says how to settle the entry.
/// </summary>
public sealed partial class RecordingJobConsumer(
    RecordingJobQueue queue,
    RecordingJobStream jobs,
    IServiceScopeFactory scopes,
    QueueHealth health,
    StreamCheckSignal streamCheck,
    IOptions<RecordingJobStreamOptions> stream,
    IOptions<QueueOptions> options,
    TimeProvider time,
    ILogger<RecordingJobConsumer> logger) : BackgroundService
{
    private readonly RecordingJobStreamOptions _stream = stream.Value;
    private readonly QueueOptions _options = options.Value;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private readonly ConcurrentDictionary<string, Task> _running = new();
    private readonly Queue<StreamEntry> _ownBacklog = new();

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        using var slots = new SemaphoreSlim(_options.Concurrency, _options.Concurrency);
        var subscribed = false;
        var ownPendingRead = false;
        var delay = _options.PollMinDelay;
        var nextClaim = time.GetUtcNow();
        var nextTrim = time.GetUtcNow() + _options.TrimInterval;
        LogStarting(logger, _options.ConsumerName, _stream.ConsumerGroup, _stream.Stream, _options.Concurrency);
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await slots.WaitAsync(stoppingToken);
                StreamEntry? entry = null;
                try
                {
                    subscribed = subscribed || await TrySubscribeAsync();
                    if (!ownPendingRead)
                    {
                        await ReadOwnBacklogAsync();
                        ownPendingRead = true;
                    }
                    entry = await NextEntryAsync(nextClaim <= time.GetUtcNow());
                    if (entry is null && nextClaim <= time.GetUtcNow())
                    {
                        nextClaim = time.GetUtcNow() + _options.ClaimCheckInterval;
                    }
                    if (health.ReportPolled())
                    {
                        LogRedisBack(logger);
                    }
                    if (nextTrim <= time.GetUtcNow())
                    {
                        nextTrim = time.GetUtcNow() + _options.TrimInterval;
                        await TrimAsync();
                    }
                }
                catch (RedisServerException ex) when (RecordingJobQueue.IsNoGroup(ex))
                {
                    // Redis is up but lost the stream or its group (restart without persistence, failover, FLUSHALL):
                    // the reconciler creates the group again and re-queues the lost jobs from Postgres.
                    streamCheck.Request();
                    LogNoGroup(logger, _stream.ConsumerGroup, _stream.Stream);
                }
                catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
                {
                    if (health.ReportFailure(ex.GetType().Name))
                    {
                        LogRedisDown(logger, ex.GetType().Name, ex.Message);
                    }
                }

                if (entry is not { } claimed)
                {
                    slots.Release();
                    await _wake.WaitAsync(delay, stoppingToken);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.PollMaxDelay.Ticks));
                    continue;
                }
                delay = _options.PollMinDelay;
                // Registered before it starts, so its own removal at the end cannot come first.
                var start = new Task<Task>(() => RunGuardedAsync(claimed, slots, stoppingToken));
                _running[claimed.Id.ToString()] = start.Unwrap();
                start.Start(TaskScheduler.Default);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        // Running jobs see the cancellation and leave their entries pending for another consumer.
        await Task.WhenAll(_running.Values);
        LogStopped(logger, _options.ConsumerName);
    }

    /// <summary>Housekeeping: a failed trim is retried at the next interval and says nothing about the queue's health.</summary>
    private async Task TrimAsync()
    {
        try
        {
            LogTrimmed(logger, _stream.Stream, await queue.TrimAcknowledgedAsync());
        }
        catch (RedisServerException ex)
        {
            LogTrimFailed(logger, _stream.Stream, ex.Message);
        }
    }

    private async Task<bool> TrySubscribeAsync()
    {
        await jobs.SubscribeAsync(Wake);
        return true;
    }

    private void Wake()
    {
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }

    /// <summary>The restart recipe: this consumer's own PEL, read from 0 page by page until empty, then only new entries.</summary>
    private async Task ReadOwnBacklogAsync()
    {
        RedisValue after = "0";
        while (true)
        {
            var page = await queue.ReadOwnPendingAsync(after, 100);
            if (page.Length == 0)
            {
                break;
            }
            foreach (var pending in page)
            {
                _ownBacklog.Enqueue(pending);
            }
            after = page[^1].Id;
        }
        if (_ownBacklog.Count > 0)
        {
            LogOwnBacklog(logger, _options.ConsumerName, _ownBacklog.Count);
        }
    }

    private async Task<StreamEntry?> NextEntryAsync(bool claimDue)
    {
        while (_ownBacklog.TryDequeue(out var own))
        {
            if (!_running.ContainsKey(own.Id.ToString()))
            {
                return own;
            }
        }
        if (claimDue)
        {
            foreach (var idle in await queue.ClaimIdleAsync(1, id => _running.ContainsKey(id.ToString())))
            {
                LogClaimed(logger, idle.Id.ToString(), _options.ConsumerName);
                return idle;
            }
        }
        var fresh = await queue.ReadNewAsync(1);
        return fresh.Length > 0 ? fresh[0] : null;
    }

    private async Task RunGuardedAsync(StreamEntry entry, SemaphoreSlim slots, CancellationToken stoppingToken)
    {
        try
        {
            await RunJobAsync(entry, stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            LogLeftPending(logger, entry.Id.ToString());
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            // The work is saved in Postgres; a redelivery finds the call processed and only acknowledges it.
            LogRedisDuringJob(logger, entry.Id.ToString(), ex.GetType().Name);
        }
        catch (Exception ex)
        {
            // Never let one job end the loop: the entry stays pending and is retried after the claim idle time.
            LogJobError(logger, ex, entry.Id.ToString());
        }
        finally
        {
            _running.TryRemove(entry.Id.ToString(), out _);
            slots.Release();
        }
    }

    private async Task RunJobAsync(StreamEntry entry, CancellationToken stoppingToken)
    {
        using var span = WorkerTraces.StartProcessing(entry, _stream);
        var deliveries = await queue.DeliveryCountAsync(entry.Id);
        var job = RecordingJobStream.TryParse(entry, out var problem);
        if (job is null)
        {
            await DeadLetterAsync(entry, $"poison message: {problem}", deliveries, job: null);
            span.Fail(nameof(JobOutcome.Poison), problem);
            return;
        }
        span?.SetTag(TraceTags.CallSid, job.CallSid);
        span?.SetTag(TraceTags.RecordingSid, job.RecordingSid);

        var delivery = new JobDelivery(deliveries, _options.MaxDeliveries, $"{_options.ConsumerName}:{entry.Id}");
        using var heartbeatStop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var heartbeat = HeartbeatAsync(entry.Id, job.CallSid, delivery.Owner, heartbeatStop.Token);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var handler = scope.ServiceProvider.GetRequiredService<IRecordingJobHandler>();
            var result = await handler.HandleAsync(job, delivery, stoppingToken);
            // The call's lease ended with the job (saved, failed or given up); a heartbeat now would find it gone.
            await heartbeatStop.CancelAsync();
            stoppingToken.ThrowIfCancellationRequested();
            span?.SetTag(WorkerTraces.JobOutcome, result.Outcome.ToString());
            if (result.Outcome is not (JobOutcome.Processed or JobOutcome.AlreadyProcessed))
            {
                span.Fail(result.Outcome.ToString(), result.Reason);
            }
            if (result.IsDeadLetter)
            {
                // The handler has recorded the failure on the call.
                await DeadLetterAsync(entry, result.Reason!, deliveries, job);
                return;
            }
            switch (result.Outcome)
            {
                case JobOutcome.Processed or JobOutcome.AlreadyProcessed:
                    await queue.AcknowledgeAsync(entry.Id);
                    LogDone(logger, job.CallSid, entry.Id.ToString(), result.Outcome);
                    break;
                case JobOutcome.Busy:
                    // Another entry for the same call is running; this one stays pending and is looked at again after the claim idle time.
                    LogCallBusy(logger, job.CallSid, entry.Id.ToString());
                    break;
                default:
                    LogWillRetry(logger, job.CallSid, deliveries, _options.MaxDeliveries, _options.ClaimIdleTime);
                    break;
            }
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            await ReleaseLeaseAsync(job.CallSid, delivery.Owner);
        }
    }

    /// <summary>
    /// Records the dead letter in Postgres (the operator's list, replay and delete), then moves the entry to the
    /// dead-letter stream. Should Redis fail after Postgres, the entry is delivered again and dead-lettered again, which
    /// the upsert turns into nothing.
    /// </summary>
    private async Task DeadLetterAsync(StreamEntry entry, string reason, long deliveries, RecordingJob? job)
    {
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
            await DeadLetterWriter.RecordJobAsync(
                db, job?.CallSid, job?.RecordingSid, entry.Id.ToString(), reason, (int)Math.Min(deliveries, int.MaxValue), time.GetUtcNow(), CancellationToken.None);
        }
        await queue.DeadLetterAsync(entry, reason, deliveries);
        LogDeadLettered(logger, entry.Id.ToString(), _stream.DeadLetterStream, deliveries, reason);
    }

    /// <summary>
    /// Every quarter of the claim idle time: resets the entry's idle time in Redis and renews the call's lease in Postgres,
    /// so neither a live job's entry nor its call is taken for abandoned. Either may fail alone (Redis down, Redis lost
    /// the entry); the lease is what keeps the call from being run twice.
    /// </summary>
    private async Task HeartbeatAsync(RedisValue entryId, string callSid, string owner, CancellationToken cancellationToken)
    {
        var interval = TimeSpan.FromTicks(Math.Max(_options.ClaimIdleTime.Ticks / 4, TimeSpan.FromMilliseconds(100).Ticks));
        using var timer = new PeriodicTimer(interval, time);
        var leaseHeld = false;
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken))
            {
                try
                {
                    await queue.HeartbeatAsync(entryId);
                }
                catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
                {
                    LogHeartbeatFailed(logger, entryId.ToString(), ex.GetType().Name);
                }
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    var renewed = await scope.ServiceProvider.GetRequiredService<CallLease>().RenewAsync(callSid, owner, cancellationToken);
                    if (!renewed && leaseHeld)
                    {
                        // Renewed too late: another run may hold the call now. The save step still commits only once.
                        LogLeaseLost(logger, callSid, entryId.ToString());
                    }
                    leaseHeld = renewed;
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogHeartbeatFailed(logger, entryId.ToString(), ex.GetType().Name);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private async Task ReleaseLeaseAsync(string callSid, string owner)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<CallLease>().ReleaseAsync(callSid, owner);
        }
        catch (Exception ex)
        {
            // The lease then expires by itself after the claim idle time.
            LogReleaseFailed(logger, callSid, ex.GetType().Name);
        }
    }

    [LoggerMessage(LogLevel.Information, "Recording job consumer {Consumer} of group {Group} on stream {Stream} starting with {Concurrency} slots")]
    private static partial void LogStarting(ILogger logger, string consumer, string group, string stream, int concurrency);

    [LoggerMessage(LogLevel.Information, "Recording job consumer {Consumer} stopped")]
    private static partial void LogStopped(ILogger logger, string consumer);

    [LoggerMessage(LogLevel.Information, "Consumer {Consumer} resumes {Count} of its own pending entries")]
    private static partial void LogOwnBacklog(ILogger logger, string consumer, int count);

    [LoggerMessage(LogLevel.Information, "Idle entry {EntryId} claimed by {Consumer}")]
    private static partial void LogClaimed(ILogger logger, string entryId, string consumer);

    [LoggerMessage(LogLevel.Information, "Job for {CallSid} ({EntryId}) acknowledged: {Outcome}")]
    private static partial void LogDone(ILogger logger, string callSid, string entryId, JobOutcome outcome);

    [LoggerMessage(LogLevel.Warning, "Job for {CallSid} stays pending after delivery {Delivery} of {MaxDeliveries}; retried after {ClaimIdleTime}")]
    private static partial void LogWillRetry(ILogger logger, string callSid, long delivery, int maxDeliveries, TimeSpan claimIdleTime);

    [LoggerMessage(LogLevel.Warning, "Entry {EntryId} moved to {DeadLetterStream} after {Deliveries} deliveries: {Reason}")]
    private static partial void LogDeadLettered(ILogger logger, string entryId, string deadLetterStream, long deliveries, string reason);

    [LoggerMessage(LogLevel.Information, "Call {CallSid} is being processed by another entry; {EntryId} stays pending")]
    private static partial void LogCallBusy(ILogger logger, string callSid, string entryId);

    [LoggerMessage(LogLevel.Information, "Entry {EntryId} left pending for another consumer: the worker is stopping")]
    private static partial void LogLeftPending(ILogger logger, string entryId);

    [LoggerMessage(LogLevel.Error, "Entry {EntryId} failed outside the pipeline; it stays pending")]
    private static partial void LogJobError(ILogger logger, Exception exception, string entryId);

    [LoggerMessage(LogLevel.Warning, "Redis failed around entry {EntryId} ({Error}); it stays pending and is looked at again")]
    private static partial void LogRedisDuringJob(ILogger logger, string entryId, string error);

    [LoggerMessage(LogLevel.Warning, "The lease on call {CallSid} held by entry {EntryId} was lost before its heartbeat")]
    private static partial void LogLeaseLost(ILogger logger, string callSid, string entryId);

    [LoggerMessage(LogLevel.Warning, "The lease on call {CallSid} was not released ({Error}); it expires by itself")]
    private static partial void LogReleaseFailed(ILogger logger, string callSid, string error);

    [LoggerMessage(LogLevel.Information, "Group {Group} of stream {Stream} does not exist (a first start, or Redis lost its data); the reconciler is asked to create it")]
    private static partial void LogNoGroup(ILogger logger, string group, string stream);

    [LoggerMessage(LogLevel.Warning, "Heartbeat of entry {EntryId} failed ({Error})")]
    private static partial void LogHeartbeatFailed(ILogger logger, string entryId, string error);

    [LoggerMessage(LogLevel.Warning, "Redis unavailable to the recording queue ({Error}: {Message}); polling goes on with backoff")]
    private static partial void LogRedisDown(ILogger logger, string error, string message);

    [LoggerMessage(LogLevel.Information, "Redis reachable again; the recording queue resumes")]
    private static partial void LogRedisBack(ILogger logger);

    [LoggerMessage(LogLevel.Warning, "Trimming stream {Stream} failed: {Message}")]
    private static partial void LogTrimFailed(ILogger logger, string stream, string message);

    [LoggerMessage(LogLevel.Debug, "Stream {Stream} trimmed by {Count} acknowledged entries")]
    private static partial void LogTrimmed(ILogger logger, string stream, long count);
}
