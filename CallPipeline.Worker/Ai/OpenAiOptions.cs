using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Worker.Ai;

/// <summary>The <c>OpenAI</c> section: any OpenAI-compatible endpoint (OpenAI, Azure OpenAI's /openai/v1, a self-hosted server, the dev double).</summary>
public sealed class OpenAiOptions
{
    public const string SectionName = "OpenAI";

    /// <summary>Base URL including <c>/v1</c>; the SDK appends <c>/audio/transcriptions</c> and <c>/chat/completions</c>.</summary>
    [Required]
    public Uri Endpoint { get; set; } = new("https://api.openai.com/v1");

    public string? ApiKey { get; set; }

    [Required]
    public string TranscriptionModel { get; set; } = "gpt-4o-transcribe";

    [Required]
    public string FallbackTranscriptionModel { get; set; } = "whisper-1";

    [Required]
    public string ChatModel { get; set; } = "gpt-4o-mini";

    /// <summary>Per-try network timeout of the SDK (its default of 100 s is too short for long audio).</summary>
    public TimeSpan NetworkTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>Retries of 408/429/5xx by the SDK, with its exponential backoff.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 3;

    /// <summary>Deadline of one chat call, retries included.</summary>
    public TimeSpan ChatTimeout { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Deadline of one transcription call, retries included.</summary>
    public TimeSpan TranscriptionTimeout { get; set; } = TimeSpan.FromMinutes(15);
}
