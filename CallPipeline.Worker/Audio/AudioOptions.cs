using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Worker.Audio;

/// <summary>ffmpeg, and how silences and speakers' turns are found (configuration section <c>Worker</c>).</summary>
public sealed class AudioOptions
{
    public const string SectionName = "Worker";

    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    public TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>silencedetect's noise floor for choosing split points.</summary>
    [Required]
    public string SilenceNoise { get; set; } = "-35dB";

    public TimeSpan SilenceMinDuration { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>Shorter sounds on a channel (clicks, breaths) are not speech and are never sent for transcription.</summary>
    public TimeSpan MinSpeechDuration { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Speech of one speaker with pauses shorter than this is one turn, unless the other speaker starts in the pause.</summary>
    public TimeSpan TurnPause { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Silence kept on each side of a turn's audio so its first and last words are not clipped.</summary>
    public TimeSpan TurnPadding { get; set; } = TimeSpan.FromMilliseconds(200);
}
