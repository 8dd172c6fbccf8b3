namespace CallPipeline.Voice;

/// <summary>The gateway's settings (configuration section <c>Voice</c>).</summary>
public sealed class VoiceOptions
{
    public const string SectionName = "Voice";

    /// <summary>
    /// Folder of the gateway's own WAV recordings of each media stream while the call runs; once it ends the recording
    /// moves to Postgres (the fallback recording source every replica reaches).
    /// </summary>
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

    public const int DefaultMaxDatabaseConnections = 20;

    /// <summary>
    /// The most Postgres connections this instance opens, unless the connection string sets <c>Maximum Pool Size</c>.
    /// With Npgsql's default of 100, a ramp of call starts opened a connection for nearly every setup in flight, each a
    /// Postgres process with its own authentication on the cores the live streams need. Capped (at 16, in two paired
    /// benchmark runs at 500 calls), frame lag p99 halved; 20 leaves room for the background services' statements.
    /// </summary>
    public int MaxDatabaseConnections { get; set; } = DefaultMaxDatabaseConnections;

    /// <summary>
    /// The most calls this instance carries at once (live media streams and calls just answered). Past it a call is
    /// answered with <see cref="BusyMessages"/> and hung up. Size it with CallPipeline.Benchmarks on the instance's hardware.
    /// </summary>
    public int MaxConcurrentCalls { get; set; } = 1000;

    /// <summary>
    /// What a caller hears when the instance is full, by the business's language (ISO 639-1); a language without a
    /// message gets the English one.
    /// </summary>
    public Dictionary<string, SpokenMessage> BusyMessages { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        ["he"] = new() { Language = "he-IL", Text = "כל הקווים תפוסים כרגע. אנא התקשרו שוב בעוד מספר דקות." },
        ["en"] = new() { Language = "en-US", Text = "All our lines are busy right now. Please call again in a few minutes." },
    };

    public SpokenMessage BusyMessageFor(string language) =>
        BusyMessages.GetValueOrDefault(language) ?? BusyMessages.GetValueOrDefault("en") ?? new SpokenMessage { Language = "en-US", Text = "All our lines are busy. Goodbye." };

    /// <summary>How often the outbox relay looks for unpublished jobs when nothing woke it.</summary>
    public TimeSpan OutboxPollInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// A recording job waiting longer than this (unpublished in the outbox, undelivered in the stream, or delivered and
    /// not heard from by its worker) turns /health Degraded: no worker is consuming.
    /// </summary>
    public TimeSpan MaxQueueAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>A webhook delivery due for longer than this counts as overdue and turns /health Degraded: no dispatcher is sending.</summary>
    public TimeSpan MaxDeliveryAge { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the queue gauges and the queue health checks' measurement is taken.</summary>
    public TimeSpan QueueMeasureInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long each statement storing the gateway's recording of a call in Postgres may take when its stream ends.</summary>
    public TimeSpan RecordingStoreTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long playback waits for Twilio to start answering with a recording's media.</summary>
    public TimeSpan RecordingPlaybackTimeout { get; set; } = TimeSpan.FromSeconds(20);
}

/// <summary>Text Twilio speaks with <c>&lt;Say&gt;</c>, in a language Twilio names (<c>he-IL</c>, <c>en-US</c>).</summary>
public sealed class SpokenMessage
{
    public string Language { get; set; } = "en-US";

    public string Text { get; set; } = "";
}
