extern alias benchmarks;

using benchmarks::CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Tests.Benchmarks;

/// <summary>A level's frame lag is the sum of its phases' (ramp, hold, end): the same counts, maximum and percentiles as one histogram of every frame.</summary>
public sealed class LagHistogramTests
{
    private static readonly double[] Bounds = [1, 5, 10, 20, 50, 100];

    [Fact]
    public void The_sum_of_phases_is_the_histogram_of_every_frame()
    {
        double[][] phases = [[0.5, 3, 7, 260], [0.8, 0.9, 2, 4, 12], [15, 45, 90, 30]];
        var whole = new LagHistogram(Bounds);
        var parts = phases.Select(values =>
        {
            var part = new LagHistogram(Bounds);
            foreach (var value in values)
            {
                part.Record(value);
                whole.Record(value);
            }
            return part;
        }).ToList();

        var sum = LagHistogram.Sum(parts);

        Assert.Equal(whole.Counts, sum.Counts);
        Assert.Equal(260, sum.Max);
        Assert.Equal(whole.Percentile(0.5), sum.Percentile(0.5));
        Assert.Equal(whole.Percentile(0.99), sum.Percentile(0.99));
    }
}
