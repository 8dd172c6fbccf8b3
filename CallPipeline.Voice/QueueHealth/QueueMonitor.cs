using System.Diagnostics.Metrics;
using CallPipeline.Data;
using CallPipeline.Data.Entities;
using CallPipeline.RecordingJobs;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Voice.QueueHealth;

/// <summary>
/// Measures the queues every <see cref="VoiceOptions.QueueMeasureInterval"/>: the recording-jobs stream and its group in
/// Redis, the outbox, due webhook deliveries and open dead letters in Postgres. The gauges and the health checks read
/// <see cref="Latest"/>, so no request and no metrics export ever waits on Redis or Postgres, and a probe every second
/// costs the servers nothing. It runs on every gateway replica; each measures the same shared queues.
/// </summary>
public sealed partial class QueueMonitor(
    IServiceScopeFactory scopes,
    IConnectionMultiplexer redis,
    IOptions<RecordingJobStreamOptions> queue,
    IOptions<VoiceOptions> options,
    IMeterFactory meterFactory,
    TimeProvider time,
    ILogger<QueueMonitor> logger) : BackgroundService
{
    /// <summary>Workers poll every few seconds at most; one not heard from for a minute is gone, though Redis keeps its name.</summary>
    public static readonly TimeSpan ActiveConsumerIdle = TimeSpan.FromMinutes(1);

    private volatile QueueSnapshot? _latest;
    private bool _streamFailing;
    private bool _databaseFailing;

    /// <summary>The last measurement; null until the first one.</summary>
    public QueueSnapshot? Latest => _latest;

    /// <summary>The gauges exist from the start, so the first export already has them.</summary>
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        QueueMetrics.Register(meterFactory, this, time, options.Value);
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.QueueMeasureInterval, time);
        do
        {
            await MeasureAsync(stoppingToken);
        }
        while (await timer.NextTickAsync(stoppingToken));
    }

    /// <summary>One measurement of both parts, each on its own: Redis down still leaves the database's numbers, and the other way round.</summary>
    public async Task MeasureAsync(CancellationToken cancellationToken)
    {
        var stream = await MeasureStreamAsync();
        var database = await MeasureDatabaseAsync(cancellationToken);
        _latest = new QueueSnapshot(time.GetUtcNow(), stream, database);
    }

    private async Task<RecordingStreamState?> MeasureStreamAsync()
    {
        var name = queue.Value.Stream;
        try
        {
            var db = redis.GetDatabase();
            var limit = options.Value.MaxQueueAge;
            var length = await db.StreamLengthAsync(name);
            var group = length == 0 && !await db.KeyExistsAsync(name)
                ? default
                : (await db.StreamGroupInfoAsync(name)).FirstOrDefault(g => g.Name == queue.Value.ConsumerGroup);
            RecordingStreamState state;
            if (group.Name is null)
            {
                // No group: no worker has read anything yet, so every entry waits.
                var first = length == 0 ? [] : await db.StreamRangeAsync(name, "-", "+", count: 1);
                var since = first.Length > 0 ? AddedAt(first[0].Id) : null;
                state = new RecordingStreamState(name, length, 0, length, 0, since, since, null);
            }
            else
            {
                var undelivered = await db.StreamRangeAsync(name, "(" + group.LastDeliveredId, "+", count: 1);
                var undeliveredSince = undelivered.Length > 0 ? AddedAt(undelivered[0].Id) : null;
                DateTimeOffset? pendingSince = null;
                TimeSpan? idlePastLimit = null;
                if (group.PendingMessageCount > 0)
                {
                    var pending = await db.StreamPendingAsync(name, group.Name);
                    pendingSince = AddedAt(pending.LowestPendingMessageId);
                    var idle = await db.StreamPendingMessagesAsync(name, group.Name, 1, RedisValue.Null, minIdleTimeInMs: (long)limit.TotalMilliseconds);
                    idlePastLimit = idle.Length > 0 ? TimeSpan.FromMilliseconds(idle[0].IdleTimeInMilliseconds) : null;
                }
                var consumers = await db.StreamConsumerInfoAsync(name, group.Name);
                state = new RecordingStreamState(
                    name,
                    length,
                    group.PendingMessageCount,
                    group.Lag,
                    consumers.Count(c => c.IdleTimeInMilliseconds < ActiveConsumerIdle.TotalMilliseconds),
                    new[] { pendingSince, undeliveredSince }.Min(),
                    undeliveredSince,
                    idlePastLimit);
            }
            if (_streamFailing)
            {
                _streamFailing = false;
                LogMeasuredAgain(logger, "the recording stream");
            }
            return state;
        }
        catch (Exception ex) when (ex is RedisException or RedisTimeoutException or TimeoutException)
        {
            if (!_streamFailing)
            {
                _streamFailing = true;
                LogNotMeasured(logger, "the recording stream", ex.GetType().Name);
            }
            return null;
        }
    }

    private async Task<DatabaseQueueState?> MeasureDatabaseAsync(CancellationToken cancellationToken)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<CallPipelineDbContext>();
            var now = time.GetUtcNow();
            var overdueBefore = now - options.Value.MaxDeliveryAge;
            var outbox = await db.OutboxMessages.Where(m => m.PublishedAt == null)
                .GroupBy(_ => 1)
                .Select(g => new { Count = g.LongCount(), Oldest = g.Min(m => m.CreatedAt) })
                .SingleOrDefaultAsync(cancellationToken);
            var due = await db.WebhookDeliveries.Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .GroupBy(_ => 1)
                .Select(g => new { Count = g.LongCount(), Overdue = g.LongCount(d => d.NextAttemptAt < overdueBefore), Oldest = g.Min(d => d.NextAttemptAt) })
                .SingleOrDefaultAsync(cancellationToken);
            var deadLetters = await db.DeadLetters.Where(d => d.ReplayedAt == null)
                .GroupBy(d => d.Kind)
                .Select(g => new { Kind = g.Key, Count = g.LongCount() })
                .ToDictionaryAsync(g => g.Kind, g => g.Count, cancellationToken);
            foreach (var kind in Enum.GetValues<DeadLetterKind>())
            {
                deadLetters.TryAdd(kind, 0);
            }
            if (_databaseFailing)
            {
                _databaseFailing = false;
                LogMeasuredAgain(logger, "the database queues");
            }
            return new DatabaseQueueState(outbox?.Count ?? 0, outbox?.Oldest, due?.Count ?? 0, due?.Overdue ?? 0, due?.Oldest, deadLetters);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            if (!_databaseFailing)
            {
                _databaseFailing = true;
                LogNotMeasured(logger, "the database queues", ex.GetType().Name);
            }
            return null;
        }
    }

    /// <summary>A stream id starts with the milliseconds of the XADD.</summary>
    private static DateTimeOffset? AddedAt(RedisValue id)
    {
        var text = id.ToString();
        var dash = text.IndexOf('-');
        return long.TryParse(dash < 0 ? text : text[..dash], out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    [LoggerMessage(1, LogLevel.Warning, "Queue gauges: {Part} could not be measured ({Error}); its gauges are left out until it can")]
    private static partial void LogNotMeasured(ILogger logger, string part, string error);

    [LoggerMessage(2, LogLevel.Information, "Queue gauges: {Part} measured again")]
    private static partial void LogMeasuredAgain(ILogger logger, string part);
}
