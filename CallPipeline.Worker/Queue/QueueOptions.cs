using System.ComponentModel.DataAnnotations;

namespace CallPipeline.Worker.Queue;

/// <summary>
/// The consumer, its claims and the reconciler (configuration section <c>Worker</c>). The stream's names are
/// <see cref="RecordingJobs.RecordingJobStreamOptions"/>, bound from the same section.
/// </summary>
public sealed class QueueOptions
{
    public const string SectionName = "Worker";

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
}
