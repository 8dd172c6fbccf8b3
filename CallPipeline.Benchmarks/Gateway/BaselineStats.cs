using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// A baseline server's count of what it read, in the shape of the Node.js baseline's <c>GET /stats</c>: frames, calls
/// finalized, and frame lag in the generator's buckets (a count per bucket, the last for lag past every bound).
/// </summary>
public sealed class BaselineStats(IReadOnlyList<double> bounds)
{
    // One lock for the histogram and its replacement at a reset, so that no frame is recorded into one already taken.
    private readonly Lock _lock = new();
    private LagHistogram _lag = new(bounds);
    private int _finalized;

    public void Frame(double lagMs)
    {
        lock (_lock)
        {
            _lag.Record(lagMs);
        }
    }

    public void Finalized()
    {
        lock (_lock)
        {
            _finalized++;
        }
    }

    /// <summary>The counts so far, started again from zero when <paramref name="reset"/>.</summary>
    public BaselineStatsSnapshot Take(bool reset)
    {
        lock (_lock)
        {
            var snapshot = new BaselineStatsSnapshot(_lag.Count, _finalized, [.. _lag.Counts], _lag.Max);
            if (reset)
            {
                (_lag, _finalized) = (new LagHistogram(bounds), 0);
            }
            return snapshot;
        }
    }
}

/// <summary>What a baseline server's <c>GET /stats</c> answers.</summary>
public sealed record BaselineStatsSnapshot(long Frames, int Finalized, long[] LagCounts, double LagMax);
