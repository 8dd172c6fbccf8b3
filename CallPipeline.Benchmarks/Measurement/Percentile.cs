namespace CallPipeline.Benchmarks.Measurement;

public static class Percentile
{
    /// <summary>The value below which <paramref name="fraction"/> of the samples fall, interpolated between the two nearest; 0 without samples.</summary>
    public static double Of(IEnumerable<double> samples, double fraction)
    {
        var sorted = samples.Order().ToArray();
        if (sorted.Length == 0)
        {
            return 0;
        }
        var rank = fraction * (sorted.Length - 1);
        var lower = (int)Math.Floor(rank);
        var upper = Math.Min(lower + 1, sorted.Length - 1);
        return sorted[lower] + ((sorted[upper] - sorted[lower]) * (rank - lower));
    }
}
