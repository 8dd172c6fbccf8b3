namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// A baseline server's count of what it read, in the shape of the Node.js baseline's <c>GET /stats</c>: frames, calls
/// finalized, and frame lag in the generator's buckets (a count per bucket, the last for lag past every bound).
/// </summary>
public sealed class BaselineStats(double[] bounds)
{
    private readonly Lock _lock = new();
    private long _frames;
    private int _finalized;
    private long[] _lagCounts = new long[bounds.Length + 1];
    private double _lagMax;

    public void Frame(double lagMs)
    {
        var bucket = 0;
        while (bucket < bounds.Length && lagMs > bounds[bucket])
        {
            bucket++;
        }
        lock (_lock)
        {
            _lagCounts[bucket]++;
            _lagMax = Math.Max(_lagMax, lagMs);
            _frames++;
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
            var snapshot = new BaselineStatsSnapshot(_frames, _finalized, reset ? _lagCounts : [.. _lagCounts], _lagMax);
            if (reset)
            {
                (_frames, _finalized, _lagCounts, _lagMax) = (0, 0, new long[bounds.Length + 1], 0);
            }
            return snapshot;
        }
    }
}

/// <summary>What a baseline server's <c>GET /stats</c> answers.</summary>
public sealed record BaselineStatsSnapshot(long Frames, int Finalized, long[] LagCounts, double LagMax);
