namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>whisper-1's <c>verbose_json</c>: the language by name, the duration and one segment spanning the audio.</summary>
public sealed record VerboseTranscription(string Task, string Language, double Duration, string Text, IReadOnlyList<VerboseTranscription.Segment> Segments, object Usage)
{
    private static readonly Dictionary<string, string> LanguageNames = new(StringComparer.OrdinalIgnoreCase)
    {
        ["he"] = "hebrew", ["en"] = "english", ["ar"] = "arabic", ["ru"] = "russian", ["fr"] = "french", ["es"] = "spanish", ["de"] = "german",
    };

    public static VerboseTranscription Create(string text, string? language, double durationSeconds, object usage)
    {
        // Whisper detects the language when none is given; the double guesses from the script.
        var name = language is not null
            ? LanguageNames.GetValueOrDefault(language, language)
            : text.Any(c => c is >= '\u0590' and <= '\u05FF') ? "hebrew" : "english";
        Segment[] segments = text.Length == 0
            ? []
            : [new Segment(0, 0, 0, durationSeconds, " " + text, [], 0, -0.25, 1.2, 0.01)];
        return new VerboseTranscription("transcribe", name, durationSeconds, text, segments, usage);
    }

    public sealed record Segment(
        int Id, int Seek, double Start, double End, string Text, int[] Tokens, double Temperature, double AvgLogprob, double CompressionRatio, double NoSpeechProb);
}
