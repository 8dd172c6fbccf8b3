namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>
/// whisper-1's <c>verbose_json</c>: task, the language by name, the duration, the text and its segments, each with
/// whisper's fields (id, seek, start, end, text with its leading space, tokens, temperature, avg_logprob,
/// compression_ratio, no_speech_prob), and usage.
/// </summary>
public sealed record VerboseTranscription(string Task, string Language, double Duration, string Text, IReadOnlyList<VerboseTranscription.Segment> Segments, object Usage)
{
    /// <summary>Whisper decodes 30 s windows; a segment's seek is where its window starts, in 10 ms frames.</summary>
    private const int WindowSeconds = 30;

    private static readonly Dictionary<string, string> LanguageNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["he"] = "hebrew", ["en"] = "english", ["ar"] = "arabic", ["ru"] = "russian", ["fr"] = "french", ["es"] = "spanish", ["de"] = "german",
    };

    public static VerboseTranscription Create(SpokenAnswer answer, string? language, double durationSeconds, object usage)
    {
        // Whisper detects the language when none is given; the double guesses from the script.
        var name = language is not null
            ? LanguageNames.GetValueOrDefault(language, language)
            : answer.Text.Any(c => c is >= '\u0590' and <= '\u05FF') ? "hebrew" : "english";
        var segments = answer.Segments
            .Select((segment, id) => new Segment(
                id,
                (int)Math.Floor(segment.Start / WindowSeconds) * WindowSeconds * 100,
                Math.Round(segment.Start, 2),
                Math.Round(segment.End, 2),
                " " + segment.Text,
                [],
                0,
                -0.25,
                1.2,
                0.01))
            .ToList();
        return new VerboseTranscription("transcribe", name, durationSeconds, answer.Text, segments, usage);
    }

    public sealed record Segment(
        int Id, int Seek, double Start, double End, string Text, int[] Tokens, double Temperature, double AvgLogprob, double CompressionRatio, double NoSpeechProb);
}
