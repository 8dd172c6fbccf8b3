using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Worker.Transcription;

/// <summary>
/// What one transcription request may carry and how many run at once (configuration section <c>Worker</c>); the
/// endpoint, models and retries are <see cref="Ai.OpenAiOptions"/>.
/// </summary>
public sealed class TranscriptionOptions
{
    public const string SectionName = "Worker";

    /// <summary>A recording transcript shorter than this falls back to the realtime transcript.</summary>
    [Range(0, 10_000)]
    public int MinTranscriptChars { get; set; } = 2;

    /// <summary>OpenAI's upload limit (25 MiB); larger audio is split at silences.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 26_214_400;

    /// <summary>Longest audio one transcription request may carry (gpt-4o-transcribe rejects audio over about 1400 s).</summary>
    public TimeSpan MaxUploadDuration { get; set; } = TimeSpan.FromMinutes(20);

    /// <summary>Transcription requests of one call in flight at once (a two-channel call sends one per turn).</summary>
    [Range(1, 16)]
    public int TranscriptionConcurrency { get; set; } = 4;
}
