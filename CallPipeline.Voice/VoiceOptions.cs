namespace CallPipeline.Voice;

/// <summary>The gateway's settings (configuration section <c>Voice</c>).</summary>
public sealed class VoiceOptions
{
    public const string SectionName = "Voice";

    /// <summary>Folder of the gateway's own WAV recordings of each media stream (the fallback recording source).</summary>
    public string RecordingsPath { get; set; } = Path.Combine(Path.GetTempPath(), "callpipeline-recordings");

    /// <summary>Refuse the media WebSocket upgrade when X-Twilio-Signature is missing or wrong; when false, only log it.</summary>
    public bool ValidateMediaStreamSignature { get; set; }

    /// <summary>Region for called numbers that arrive without a country code, besides each business's own region.</summary>
    public string DefaultRegion { get; set; } = "IL";

    /// <summary>What a caller of an unknown number hears before the gateway hangs up.</summary>
    public string RejectionMessage { get; set; } = "Sorry, this number is not in service. Goodbye.";

    /// <summary>Largest Media Streams message accepted; a media message of 20 ms is about 400 bytes.</summary>
    public int MaxMessageBytes { get; set; } = 64 * 1024;

    /// <summary>How long the stream waits for Twilio's <c>start</c> message before giving up.</summary>
    public TimeSpan StartTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often the outbox relay looks for unpublished jobs when nothing woke it.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A recording job waiting longer than this (unpublished in the outbox, undelivered in the stream, or delivered and
    /// not heard from by its worker) turns /health Degraded: no worker is consuming.
    /// </summary>
    public TimeSpan MaxQueueAge { get; set; } = TimeSpan.FromMinutes(5);
}
