using CallPipeline.Data.Entities;

namespace CallPipeline.Worker.Transcription;

/// <summary>The transcription prompt: the business's vocabulary, so names of places and services come out spelled right.</summary>
public static class TranscriptionPrompt
{
    /// <summary>whisper-1 reads only the first 224 tokens of a prompt; about 600 characters of Hebrew stay within that.</summary>
    public const int MaxLength = 600;

    public static string? For(Business business)
    {
        var words = (business.Vocabulary ?? "")
            .Split([',', ';', '\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (words.Count == 0)
        {
            return null;
        }
        var prompt = $"{business.Name}: {string.Join(", ", words)}";
        return prompt.Length > MaxLength ? prompt[..MaxLength] : prompt;
    }
}
