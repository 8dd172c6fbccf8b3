using System.Globalization;

namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>whisper-1's <c>srt</c> and <c>vtt</c> formats: one cue spanning the audio.</summary>
public static class SubtitleWriter
{
    public static string Srt(string text, double durationSeconds) =>
        text.Length == 0 ? "" : $"1\n00:00:00,000 --> {Timestamp(durationSeconds, ',')}\n{text}\n\n";

    public static string Vtt(string text, double durationSeconds) =>
        text.Length == 0 ? "WEBVTT\n\n" : $"WEBVTT\n\n00:00:00.000 --> {Timestamp(durationSeconds, '.')}\n{text}\n\n";

    private static string Timestamp(double seconds, char fractionSeparator)
    {
        var time = TimeSpan.FromSeconds(seconds);
        return string.Create(CultureInfo.InvariantCulture,
            $"{(int)time.TotalHours:00}:{time.Minutes:00}:{time.Seconds:00}{fractionSeparator}{time.Milliseconds:000}");
    }
}
