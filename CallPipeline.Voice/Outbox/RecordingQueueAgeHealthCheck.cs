using CallPipeline.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Voice.Outbox;

/// <summary>
/// Whether workers are consuming recording jobs: Degraded, with the reason, when the oldest job still waiting is older
/// than <see cref="VoiceOptions.MaxQueueAge"/>. Waiting means unpublished in the outbox (Redis refuses it), undelivered in
/// the stream (no worker reads), or delivered and idle that long (its worker stopped heartbeating and nobody claimed it).
/// </summary>
public sealed class RecordingQueueAgeHealthCheck(
    CallPipelineDbContext db,
    IConnectionMultiplexer redis,
    IOptions<OutboxOptions> queue,
    IOptions<VoiceOptions> voice,
    TimeProvider time) : IHealthCheck
{
    public const string Name = "recording-queue-age";

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var limit = voice.Value.MaxQueueAge;
        var now = time.GetUtcNow();
        var unpublishedSince = await db.OutboxMessages.Where(m => m.PublishedAt == null).MinAsync(m => (DateTimeOffset?)m.CreatedAt, cancellationToken);
        if (unpublishedSince is { } created && now - created > limit)
        {
            return HealthCheckResult.Degraded(
                $"a recording job has waited {Seconds(now - created)} in the outbox (limit {Seconds(limit)}): the relay cannot publish to Redis");
        }

        var (undeliveredSince, idlePending) = await StreamBacklogAsync(limit);
        var stream = queue.Value.Stream;
        if (undeliveredSince is { } added && now - added > limit)
        {
            return HealthCheckResult.Degraded(
                $"a recording job has waited {Seconds(now - added)} in stream {stream} for a worker (limit {Seconds(limit)}): no worker is reading");
        }
        if (idlePending is { } idle)
        {
            return HealthCheckResult.Degraded(
                $"a recording job in stream {stream} has not been heard from by its worker for {Seconds(idle)} (limit {Seconds(limit)}): no live worker claimed it");
        }
        var oldest = new[] { unpublishedSince, undeliveredSince }.Min();
        return HealthCheckResult.Healthy(oldest is { } since ? $"the oldest waiting recording job is {Seconds(now - since)} old" : "no recording job is waiting");
    }

    /// <summary>When the oldest entry no worker has read was added, and the idle time of a delivered entry idle past the limit.</summary>
    private async Task<(DateTimeOffset? UndeliveredSince, TimeSpan? IdlePending)> StreamBacklogAsync(TimeSpan limit)
    {
        var redisDb = redis.GetDatabase();
        var stream = queue.Value.Stream;
        if (!await redisDb.KeyExistsAsync(stream))
        {
            return (null, null);
        }
        var group = (await redisDb.StreamGroupInfoAsync(stream)).FirstOrDefault(g => g.Name == queue.Value.ConsumerGroup);
        // Without the group no worker has read anything yet: every entry waits. "(" makes the start exclusive.
        var after = group.Name is null ? "-" : "(" + group.LastDeliveredId;
        var first = await redisDb.StreamRangeAsync(stream, after, "+", count: 1);
        DateTimeOffset? undeliveredSince = first.Length > 0 ? AddedAt(first[0].Id) : null;
        if (group.Name is null || group.PendingMessageCount == 0)
        {
            return (undeliveredSince, null);
        }
        var idle = await redisDb.StreamPendingMessagesAsync(
            stream, group.Name, 1, RedisValue.Null, minIdleTimeInMs: (long)limit.TotalMilliseconds);
        return (undeliveredSince, idle.Length > 0 ? TimeSpan.FromMilliseconds(idle[0].IdleTimeInMilliseconds) : null);
    }

    /// <summary>A stream id starts with the milliseconds of the XADD.</summary>
    private static DateTimeOffset? AddedAt(RedisValue id)
    {
        var text = id.ToString();
        var dash = text.IndexOf('-');
        return long.TryParse(dash < 0 ? text : text[..dash], out var ms) ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : null;
    }

    private static string Seconds(TimeSpan span) => $"{Math.Max(0, span.TotalSeconds):0} s";
}
