using System.ComponentModel.DataAnnotations;

namespace CallPipeline.RecordingJobs;

/// <summary>
/// The recording-jobs stream's names, shared by the gateway that adds jobs and the worker that reads them. Bound from
/// the <c>Worker</c> configuration section (the keys <c>Worker:Stream</c>, <c>Worker:ConsumerGroup</c>,
/// <c>Worker:NudgeChannel</c>, <c>Worker:DeadLetterStream</c>), so one setting serves both services.
/// </summary>
public sealed class RecordingJobStreamOptions
{
    public const string SectionName = "Worker";

    /// <summary>The Redis stream recording jobs are added to.</summary>
    [Required]
    public string Stream { get; set; } = RecordingJobStream.DefaultName;

    /// <summary>The workers' consumer group, also read by the gateway's queue-age health check.</summary>
    [Required]
    public string ConsumerGroup { get; set; } = RecordingJobStream.DefaultConsumerGroup;

    /// <summary>Pub/sub channel published to after each add so idle workers poll at once; empty to leave them to their polling.</summary>
    public string? NudgeChannel { get; set; } = RecordingJobStream.DefaultNudgeChannel;

    /// <summary>Where the workers move entries they give up on, with the reason.</summary>
    [Required]
    public string DeadLetterStream { get; set; } = RecordingJobStream.DefaultDeadLetterName;
}
