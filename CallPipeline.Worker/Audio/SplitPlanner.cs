namespace CallPipeline.Worker.Audio;

/// <summary>Chooses where to cut long audio: in the middle of the last silence before each part would exceed its limit.</summary>
public static class SplitPlanner
{
    /// <returns>Cut points in seconds, ascending, excluding 0 and the end.</returns>
    public static IReadOnlyList<double> Plan(double durationSeconds, double maxPartSeconds, IReadOnlyList<(double Start, double End)> silences)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxPartSeconds);
        var cuts = new List<double>();
        var partStart = 0.0;
        while (durationSeconds - partStart > maxPartSeconds)
        {
            var limit = partStart + maxPartSeconds;
            // Cut inside a silence that ends the part at a reasonable length (at least a quarter of the limit), else hard at the limit.
            var cut = silences
                .Select(s => (s.Start + Math.Min(s.End, limit)) / 2)
                .Where(middle => middle > partStart + (maxPartSeconds / 4) && middle <= limit)
                .DefaultIfEmpty(limit)
                .Max();
            cuts.Add(cut);
            partStart = cut;
        }
        return cuts;
    }
}
