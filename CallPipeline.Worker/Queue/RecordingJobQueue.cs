using CallPipeline.RecordingJobs;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.Worker.Queue;

/// <summary>
/// The workers' side of the recording-jobs stream (<see cref="RecordingJobStream"/>): its consumer group, one Redis
/// command per method.
/// </summary>
public sealed class RecordingJobQueue(IConnectionMultiplexer redis, IOptions<RecordingJobStreamOptions> stream, IOptions<QueueOptions> options, TimeProvider time)
{
    private const string ErrorField = "error";
    private readonly RecordingJobStreamOptions _stream = stream.Value;
    private readonly QueueOptions _options = options.Value;
    private RedisValue _autoClaimCursor = "0-0";

    public string ConsumerName => _options.ConsumerName;

    private IDatabase Db => redis.GetDatabase();

    /// <summary>
    /// Creates the group (and the stream, MKSTREAM) unless it exists, reading from the start, so jobs added before the
    /// group are not skipped.
    /// </summary>
    /// <returns>True when this call created it: the stream or its group was gone, so any jobs Redis held were lost.</returns>
    public async Task<bool> EnsureGroupAsync()
    {
        if (await Db.KeyExistsAsync(_stream.Stream)
            && (await Db.StreamGroupInfoAsync(_stream.Stream)).Any(g => g.Name == _stream.ConsumerGroup))
        {
            return false;
        }
        try
        {
            return await Db.StreamCreateConsumerGroupAsync(_stream.Stream, _stream.ConsumerGroup, StreamPosition.Beginning, createStream: true);
        }
        catch (RedisServerException ex) when (ex.Message.StartsWith("BUSYGROUP", StringComparison.Ordinal))
        {
            return false;
        }
    }

    /// <summary>The error of XREADGROUP and friends when the stream or its group does not exist.</summary>
    public static bool IsNoGroup(RedisServerException exception) => exception.Message.StartsWith("NOGROUP", StringComparison.Ordinal);

    /// <summary>Entries this consumer was given before and never acknowledged (the restart recipe: read from 0 until empty).</summary>
    public Task<StreamEntry[]> ReadOwnPendingAsync(RedisValue after, int count) =>
        Db.StreamReadGroupAsync(_stream.Stream, _stream.ConsumerGroup, _options.ConsumerName, after, count);

    public Task<StreamEntry[]> ReadNewAsync(int count) =>
        Db.StreamReadGroupAsync(_stream.Stream, _stream.ConsumerGroup, _options.ConsumerName, StreamPosition.NewMessages, count);

    /// <summary>
    /// Takes over entries idle longer than <see cref="QueueOptions.ClaimIdleTime"/>: those of dead consumers and failed
    /// attempts. XAUTOCLAIM resets their idle time, so two consumers never both win one. It claims ids only, which
    /// counts no delivery, and then XCLAIM counts one for each entry this consumer is not already running: an entry of a
    /// running job is only found idle when its heartbeat was late (a busy machine), and counting that as a delivery
    /// would dead-letter a job that never failed that often.
    /// </summary>
    public async Task<StreamEntry[]> ClaimIdleAsync(int count, Func<RedisValue, bool> isRunning)
    {
        var result = await Db.StreamAutoClaimIdsOnlyAsync(
            _stream.Stream, _stream.ConsumerGroup, _options.ConsumerName, (long)_options.ClaimIdleTime.TotalMilliseconds, _autoClaimCursor, count);
        _autoClaimCursor = result.NextStartId;
        if (result.DeletedIds.Length > 0)
        {
            // Entries removed from the stream while pending carry no job; XAUTOCLAIM already dropped them from the PEL.
            await Db.StreamAcknowledgeAsync(_stream.Stream, _stream.ConsumerGroup, result.DeletedIds);
        }
        var idle = result.ClaimedIds.Where(id => !isRunning(id)).ToArray();
        return idle.Length == 0
            ? []
            : (await Db.StreamClaimAsync(_stream.Stream, _stream.ConsumerGroup, _options.ConsumerName, 0, idle))
                .Where(entry => !entry.IsNull)
                .ToArray();
    }

    /// <summary>How many times the entry has been delivered, this delivery included.</summary>
    public async Task<long> DeliveryCountAsync(RedisValue entryId)
    {
        var pending = await Db.StreamPendingMessagesAsync(_stream.Stream, _stream.ConsumerGroup, 1, RedisValue.Null, entryId, entryId);
        return pending.Length == 1 ? pending[0].DeliveryCount : 1;
    }

    /// <summary>Resets the entry's idle time without counting a delivery (XCLAIM … JUSTID), so a long job is not taken over.</summary>
    public Task HeartbeatAsync(RedisValue entryId) =>
        Db.StreamClaimIdsOnlyAsync(_stream.Stream, _stream.ConsumerGroup, _options.ConsumerName, 0, [entryId]);

    public Task AcknowledgeAsync(RedisValue entryId) => Db.StreamAcknowledgeAsync(_stream.Stream, _stream.ConsumerGroup, entryId);

    /// <summary>Copies the entry with its error to the dead-letter stream and acknowledges it, atomically (MULTI/EXEC).</summary>
    public async Task DeadLetterAsync(StreamEntry entry, string error, long deliveries)
    {
        var fields = entry.Values
            .Where(v => v.Name != ErrorField)
            .Append(new NameValueEntry(ErrorField, error))
            .Append(new NameValueEntry("originalId", entry.Id))
            .Append(new NameValueEntry("deliveries", deliveries))
            .Append(new NameValueEntry("consumer", _options.ConsumerName))
            .Append(new NameValueEntry("failedAt", time.GetUtcNow().ToString("O")))
            .ToArray();
        var transaction = Db.CreateTransaction();
        _ = transaction.StreamAddAsync(_stream.DeadLetterStream, fields);
        _ = transaction.StreamAcknowledgeAsync(_stream.Stream, _stream.ConsumerGroup, entry.Id);
        if (!await transaction.ExecuteAsync())
        {
            throw new RedisException($"Dead-lettering entry {entry.Id} did not commit.");
        }
    }

    /// <summary>
    /// Trims with XTRIM MINID below the oldest entry any group still needs: the oldest pending entry and everything after
    /// the group's last delivered id are kept, as is anything younger than <see cref="QueueOptions.RetainAcknowledgedFor"/>.
    /// </summary>
    public async Task<long> TrimAcknowledgedAsync()
    {
        var keepFrom = StreamIdAt(time.GetUtcNow() - _options.RetainAcknowledgedFor);
        foreach (var group in await Db.StreamGroupInfoAsync(_stream.Stream))
        {
            keepFrom = Min(keepFrom, NextId(group.LastDeliveredId));
            var pending = await Db.StreamPendingAsync(_stream.Stream, group.Name);
            if (pending.PendingMessageCount > 0)
            {
                keepFrom = Min(keepFrom, (string)pending.LowestPendingMessageId!);
            }
        }
        return (long)await Db.ExecuteAsync("XTRIM", _stream.Stream, "MINID", keepFrom);
    }

    private static string StreamIdAt(DateTimeOffset instant) => $"{Math.Max(0, instant.ToUnixTimeMilliseconds())}-0";

    /// <summary>The smallest id greater than <paramref name="id"/>, so MINID keeps everything the group has not been given.</summary>
    private static string NextId(string? id)
    {
        if (string.IsNullOrEmpty(id) || !TryParseId(id, out var ms, out var seq))
        {
            return "0-0";
        }
        return seq == ulong.MaxValue ? $"{ms + 1}-0" : $"{ms}-{seq + 1}";
    }

    private static string Min(string a, string b)
    {
        TryParseId(a, out var aMs, out var aSeq);
        TryParseId(b, out var bMs, out var bSeq);
        return (aMs, aSeq).CompareTo((bMs, bSeq)) <= 0 ? a : b;
    }

    private static bool TryParseId(string id, out ulong ms, out ulong seq)
    {
        var dash = id.IndexOf('-');
        seq = 0;
        return dash < 0
            ? ulong.TryParse(id, out ms)
            : ulong.TryParse(id.AsSpan(0, dash), out ms) & ulong.TryParse(id.AsSpan(dash + 1), out seq);
    }
}
