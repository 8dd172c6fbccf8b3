namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>The transcription models and the response formats each accepts (openai-dotnet's spec and OpenAI's speech-to-text guide).</summary>
public static class TranscriptionModels
{
    public const string Json = "json";
    public const string Text = "text";
    public const string VerboseJson = "verbose_json";
    public const string Srt = "srt";
    public const string Vtt = "vtt";

    /// <summary>Every value the API knows, in the order OpenAI lists them in its invalid-value message.</summary>
    public const string AllFormats = "'json', 'text', 'srt', 'verbose_json', 'vtt', and 'diarized_json'";

    private static readonly HashSet<string> KnownFormats = [Json, Text, Srt, VerboseJson, Vtt, "diarized_json"];

    private static readonly Dictionary<string, string[]> FormatsByModel = new(StringComparer.Ordinal)
    {
        ["gpt-4o-transcribe"] = [Json, Text],
        ["gpt-4o-mini-transcribe"] = [Json, Text],
        ["gpt-4o-mini-transcribe-2025-12-15"] = [Json, Text],
        ["whisper-1"] = [Json, Text, Srt, VerboseJson, Vtt],
    };

    /// <summary>The gpt-4o transcription models refuse audio longer than this (reported in public issues; whisper-1 has only the size cap).</summary>
    public const int Gpt4oMaximumSeconds = 1400;

    public static bool IsKnown(string model) => FormatsByModel.ContainsKey(model);

    public static bool IsKnownFormat(string responseFormat) => KnownFormats.Contains(responseFormat);

    public static bool Accepts(string model, string responseFormat) => FormatsByModel[model].Contains(responseFormat);

    /// <summary>Whether the model is billed by tokens (gpt-4o family) rather than by duration (whisper-1).</summary>
    public static bool IsTokenBilled(string model) => model.StartsWith("gpt-", StringComparison.Ordinal);
}
