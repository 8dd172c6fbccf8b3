namespace CallPipeline.DevDoubles.Twilio;

/// <summary>Section <c>Simulator</c>: where simulated calls go and how they are paced.</summary>
public sealed class SimulatorOptions
{
    public const string SectionName = "Simulator";

    /// <summary>The voice gateway's base URL; the webhooks go to /twilio/voice/incoming and /twilio/voice/status under it.</summary>
    public string VoiceBaseUrl { get; set; } = "";

    /// <summary>How many times faster than real time media frames are sent (1 = real time, as Twilio does).</summary>
    public double Speed { get; set; } = 1;

    /// <summary>How long (in call time) a caller waits for the greeting to finish before speaking anyway.</summary>
    public TimeSpan CallerPatience { get; set; } = TimeSpan.FromSeconds(4);

    /// <summary>Silence after the caller's last word before the caller hangs up.</summary>
    public TimeSpan TrailingSilence { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How long a caller without text stays on the line, silent.</summary>
    public TimeSpan SilentCallerDuration { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Calls are cut at this length (call time) whatever happens on the stream.</summary>
    public TimeSpan MaxCallDuration { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>What the called party says on calls placed through the REST API (Calls.json), which carry no text.</summary>
    public string AnsweringText { get; set; } = "שלום, כאן דני.";

    /// <summary>The espeak-ng program; a path or a name looked up on PATH.</summary>
    public string EspeakProgram { get; set; } = "espeak-ng";

    public string EspeakVoice { get; set; } = "he";

    public int EspeakWordsPerMinute { get; set; } = 150;

    public string FfmpegProgram { get; set; } = "ffmpeg";
}
