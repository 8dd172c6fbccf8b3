using System.ComponentModel.DataAnnotations;
using CallPipeline.Data.Messages;

namespace CallPipeline.Worker.Queue;

/// <summary>The <c>Worker</c> configuration section: the queue, the reconciler and the limits of each pipeline step.</summary>
public sealed class WorkerOptions
{
    public const string SectionName = "Worker";

    /// <summary>The Redis stream the voice gateway's outbox relay adds jobs to.</summary>
    [Required]
    public string Stream { get; set; } = Data.Messages.RecordingJob.Topic;

    [Required]
    public string ConsumerGroup { get; set; } = RecordingJob.ConsumerGroup;

    /// <summary>This instance's consumer name. Give replicas a stable name to have them resume their own pending jobs after a restart.</summary>
    [Required]
    public string ConsumerName { get; set; } = $"{Environment.MachineName}-{Environment.ProcessId}";

    [Range(1, 64)]
    public int Concurrency { get; set; } = 2;

    /// <summary>Deliveries of one entry before it goes to the dead-letter stream.</summary>
    [Range(1, 100)]
    public int MaxDeliveries { get; set; } = 5;

    /// <summary>
    /// Idle time after which another consumer may claim a pending entry, and the length of a running job's lease on its
    /// call in Postgres. A running job resets both with a heartbeat every quarter of this, so only entries of dead
    /// consumers and failed attempts reach it; it is also the delay before a failed attempt is tried again.
    /// </summary>
    public TimeSpan ClaimIdleTime { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>How often idle entries are looked for with XAUTOCLAIM.</summary>
    public TimeSpan ClaimCheckInterval { get; set; } = TimeSpan.FromSeconds(15);

    [Required]
    public string DeadLetterStream { get; set; } = "recording-jobs-dead";

    /// <summary>Pub/sub channel a producer may publish to after XADD so idle workers poll at once. Polling goes on regardless.</summary>
    public string? NudgeChannel { get; set; } = RecordingJob.NudgeChannel;

    public TimeSpan PollMinDelay { get; set; } = TimeSpan.FromMilliseconds(100);

    public TimeSpan PollMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    public TimeSpan TrimInterval { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Acknowledged entries are kept this long for inspection, then trimmed. Unacknowledged entries are never trimmed.</summary>
    public TimeSpan RetainAcknowledgedFor { get; set; } = TimeSpan.FromDays(1);

    /// <summary>
    /// How often the reconciler checks that the stream's group exists. A missing group means Redis lost its data: the
    /// calls it held are queued again from Postgres at once.
    /// </summary>
    public TimeSpan StreamCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often the reconciler looks for calls Redis should have delivered by now.</summary>
    public TimeSpan ReconcileInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>
    /// How long Redis gets before the reconciler queues a call again: since a call was recorded (its job from the
    /// outbox), and since the lease of a call in processing expired (its worker died; a redelivery takes it over within
    /// the claim idle time). A call stuck in processing is thus queued again at most ClaimIdleTime + this + ReconcileInterval
    /// after its worker's last heartbeat.
    /// </summary>
    public TimeSpan ReconcileGracePeriod { get; set; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long a call may stay <c>ended</c> (the call is over) without news before the reconciler processes what it has:
    /// Twilio sends its recording callback once, so one lost on the way (the gateway restarting, or too slow to answer
    /// within Twilio's 15 s) would leave the call there for ever. Only calls with audio are queued: a Twilio recording, or
    /// a finished media stream (the gateway's own recording). Longer than Twilio takes to send a recording callback.
    /// </summary>
    public TimeSpan StalledCallGracePeriod { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>A recording transcript shorter than this falls back to the realtime transcript.</summary>
    [Range(0, 10_000)]
    public int MinTranscriptChars { get; set; } = 2;

    /// <summary>Where downloads and conversions are written; the system temp folder when empty.</summary>
    public string? TempDirectory { get; set; }

    public TimeSpan DownloadRequestTimeout { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan DownloadFirstRetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan DownloadMaxRetryDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Total time spent waiting for a recording that is not there yet (fresh recordings answer 404 for a while).</summary>
    public TimeSpan DownloadRetryBudget { get; set; } = TimeSpan.FromMinutes(5);

    [Range(1, long.MaxValue)]
    public long MaxRecordingBytes { get; set; } = 200L * 1024 * 1024;

    [Required]
    public string FfmpegPath { get; set; } = "ffmpeg";

    public TimeSpan FfmpegTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>OpenAI's upload limit (25 MiB); larger audio is split at silences.</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 26_214_400;

    /// <summary>Longest audio one transcription request may carry (gpt-4o-transcribe rejects audio over about 1400 s).</summary>
    public TimeSpan MaxUploadDuration { get; set; } = TimeSpan.FromMinutes(20);

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

    /// <summary>Transcription requests of one call in flight at once (a two-channel call sends one per turn).</summary>
    [Range(1, 16)]
    public int TranscriptionConcurrency { get; set; } = 4;
}
