namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>The usage block of a transcription: tokens for the gpt-4o models, seconds for whisper-1.</summary>
public static class TranscriptionUsage
{
    public static object For(string model, string text, double durationSeconds)
    {
        if (!TranscriptionModels.IsTokenBilled(model))
        {
            return new DurationUsage("duration", (int)Math.Ceiling(durationSeconds));
        }
        // Roughly what OpenAI bills: about 10 audio tokens a second, about a token per 4 characters of text.
        var audioTokens = Math.Max(1, (int)Math.Ceiling(durationSeconds * 10));
        var outputTokens = (text.Length + 3) / 4;
        return new TokenUsage("tokens", audioTokens, new InputTokenDetails(0, audioTokens), outputTokens, audioTokens + outputTokens);
    }

    public sealed record TokenUsage(string Type, int InputTokens, InputTokenDetails InputTokenDetails, int OutputTokens, int TotalTokens);

    public sealed record InputTokenDetails(int TextTokens, int AudioTokens);

    public sealed record DurationUsage(string Type, int Seconds);
}
