using CallPipeline.Data.Tracing;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace CallPipeline.RecordingJobs;

/// <summary>
/// The recording-jobs Redis stream: its names, the fields of an entry, adding one (XADD with the W3C
/// <c>traceparent</c>/<c>tracestate</c> of the adding span, then the nudge) and reading one back. The gateway's outbox
/// relay is the only writer; the worker's consumer group reads.
/// </summary>
public sealed class RecordingJobStream(IConnectionMultiplexer redis, IOptions<RecordingJobStreamOptions> options)
{
    public const string DefaultName = "recording-jobs";
    public const string DefaultConsumerGroup = "recording-workers";
    public const string DefaultNudgeChannel = "recording-jobs:nudge";
    public const string DefaultDeadLetterName = "recording-jobs-dead";
    public const string CallSidField = "callSid";
    public const string RecordingSidField = "recordingSid";
    public const string OutboxIdField = "outboxId";

    private readonly RecordingJobStreamOptions _options = options.Value;

    /// <summary>The stream's key, as configured.</summary>
    public string Name => _options.Stream;

    /// <summary>
    /// Adds the job as one entry continuing <paramref name="trace"/>, then wakes idle workers on the nudge channel.
    /// A failure after the XADD adds nothing twice by itself; a caller that retries may, which the worker tolerates.
    /// </summary>
    /// <returns>The entry's id.</returns>
    public async Task<RedisValue> AddAsync(RecordingJob job, long outboxId, TraceContext? trace)
    {
        List<NameValueEntry> fields =
        [
            new(CallSidField, job.CallSid),
            new(RecordingSidField, job.RecordingSid),
            new(OutboxIdField, outboxId),
        ];
        trace?.Inject((name, value) => fields.Add(new(name, value)));
        var entryId = await redis.GetDatabase().StreamAddAsync(_options.Stream, [.. fields]);
        if (_options.NudgeChannel is { Length: > 0 } channel)
        {
            await redis.GetSubscriber().PublishAsync(RedisChannel.Literal(channel), entryId.ToString());
        }
        return entryId;
    }

    /// <summary>Calls <paramref name="onAdded"/> whenever a producer nudges; does nothing when no nudge channel is set.</summary>
    public async Task SubscribeAsync(Action onAdded)
    {
        if (_options.NudgeChannel is { Length: > 0 } channel)
        {
            await redis.GetSubscriber().SubscribeAsync(RedisChannel.Literal(channel), (_, _) => onAdded());
        }
    }

    /// <summary>Reads the job out of an entry; an entry without this contract's fields is poison, and <paramref name="problem"/> says why.</summary>
    public static RecordingJob? TryParse(StreamEntry entry, out string? problem)
    {
        if (entry.IsNull || entry.Values is null || entry.Values.Length == 0)
        {
            problem = "the entry has no fields (deleted or trimmed while pending)";
            return null;
        }
        var callSid = (string?)entry[CallSidField];
        var recordingSid = (string?)entry[RecordingSidField];
        if (string.IsNullOrWhiteSpace(callSid) || callSid.Length > 64)
        {
            problem = $"the entry has no valid {CallSidField}";
            return null;
        }
        if (recordingSid is null || recordingSid.Length > 64)
        {
            problem = $"the entry has no valid {RecordingSidField}";
            return null;
        }
        problem = null;
        return new RecordingJob(callSid.Trim(), recordingSid.Trim());
    }

    /// <summary>The trace the entry continues (its traceparent and tracestate fields); null for an entry without one.</summary>
    public static TraceContext? TraceOf(StreamEntry entry) =>
        entry.IsNull || entry.Values is null ? null : TraceContext.Extract(name => (string?)entry[name]);
}
