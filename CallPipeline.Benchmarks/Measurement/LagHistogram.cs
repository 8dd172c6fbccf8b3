namespace CallPipeline.Benchmarks.Measurement;

/// <summary>
/// Milliseconds in fixed buckets (the gateway's own frame-lag buckets), with the exact maximum. Recording is lock-free,
/// so thousands of simulated calls can share one; percentiles are interpolated within a bucket.
/// </summary>
public sealed class LagHistogram(IReadOnlyList<double> bounds)
{
    private readonly long[] _counts = new long[bounds.Count + 1];
    private long _maxBits = BitConverter.DoubleToInt64Bits(0);

    public IReadOnlyList<double> Bounds => bounds;

    public long Count => _counts.Sum();

    public double Max => BitConverter.Int64BitsToDouble(Interlocked.Read(ref _maxBits));

    public IReadOnlyList<long> Counts => _counts;

    /// <summary>One histogram of every part's counts (parts of one run, measured with the same bounds).</summary>
    public static LagHistogram Sum(IReadOnlyList<LagHistogram> parts)
    {
        var sum = new LagHistogram(parts[0].Bounds);
        foreach (var part in parts)
        {
            sum.Add(part.Counts, part.Max);
        }
        return sum;
    }

    public void Record(double milliseconds)
    {
        var bucket = 0;
        while (bucket < bounds.Count && milliseconds > bounds[bucket])
        {
            bucket++;
        }
        Interlocked.Increment(ref _counts[bucket]);
        RaiseMax(milliseconds);
    }

    /// <summary>Adds counts made elsewhere with the same bounds (an OTLP data point, the baseline's stats).</summary>
    public void Add(IReadOnlyList<long> counts, double max)
    {
        if (counts.Count != _counts.Length)
        {
            throw new ArgumentException($"Expected {_counts.Length} bucket counts, got {counts.Count}: the bounds differ.", nameof(counts));
        }
        for (var i = 0; i < counts.Count; i++)
        {
            Interlocked.Add(ref _counts[i], counts[i]);
        }
        RaiseMax(max);
    }

    public double Percentile(double fraction)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }
        var rank = fraction * total;
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            if (_counts[i] == 0 || seen + _counts[i] < rank)
            {
                seen += _counts[i];
                continue;
            }
            var lower = i == 0 ? 0 : bounds[i - 1];
            var upper = i < bounds.Count ? Math.Min(bounds[i], Max) : Max;
            return lower + ((upper - lower) * (rank - seen) / _counts[i]);
        }
        return Max;
    }

    private void RaiseMax(double value)
    {
        var current = Interlocked.Read(ref _maxBits);
        while (value > BitConverter.Int64BitsToDouble(current))
        {
            var seen = Interlocked.CompareExchange(ref _maxBits, BitConverter.DoubleToInt64Bits(value), current);
            if (seen == current)
            {
                return;
            }
            current = seen;
        }
    }
}
