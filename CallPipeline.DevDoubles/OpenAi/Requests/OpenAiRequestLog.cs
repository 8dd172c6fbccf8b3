using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace CallPipeline.DevDoubles.OpenAi.Requests;

/// <summary>The most recent requests the double answered, oldest first, bounded so a long local run cannot grow it forever.</summary>
public sealed class OpenAiRequestLog(IOptions<OpenAiDoubleOptions> options, TimeProvider timeProvider)
{
    private readonly ConcurrentQueue<OpenAiRequestRecord> _records = new();
    private long _sequence;

    public OpenAiRequestRecord Add(OpenAiRequestRecord record)
    {
        var stored = record with { Sequence = Interlocked.Increment(ref _sequence), ReceivedAt = timeProvider.GetUtcNow() };
        _records.Enqueue(stored);
        while (_records.Count > Math.Max(1, options.Value.Double.RequestLogCapacity))
        {
            _records.TryDequeue(out _);
        }
        return stored;
    }

    public IReadOnlyList<OpenAiRequestRecord> List() => [.. _records.OrderBy(record => record.Sequence)];

    public void Clear() => _records.Clear();
}
