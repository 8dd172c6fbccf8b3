namespace CallPipeline.Worker.Audio;

/// <summary>Where a channel carries speech: the stretches between the silences ffmpeg's silencedetect found.</summary>
public static class SpeechSpans
{
    /// <returns>Speech (start, end in seconds) in time order; stretches shorter than <paramref name="minSpeechSeconds"/> are dropped as noise.</returns>
    public static IReadOnlyList<(double Start, double End)> Between(
        IReadOnlyList<(double Start, double End)> silences, double durationSeconds, double minSpeechSeconds)
    {
        var speech = new List<(double Start, double End)>();
        var position = 0.0;
        foreach (var (start, end) in silences.OrderBy(s => s.Start))
        {
            Add(position, Math.Min(start, durationSeconds));
            position = Math.Max(position, end);
        }
        Add(position, durationSeconds);
        return speech;

        void Add(double start, double end)
        {
            if (end - start >= minSpeechSeconds)
            {
                speech.Add((start, end));
            }
        }
    }
}
