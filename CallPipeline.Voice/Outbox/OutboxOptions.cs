using CallPipeline.Data.Messages;

namespace CallPipeline.Voice.Outbox;

/// <summary>The worker's settings the relay and the queue-age health check share (configuration section <c>Worker</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Worker";

    /// <summary>The Redis stream recording jobs are published to.</summary>
    public string Stream { get; set; } = RecordingJob.Topic;

    /// <summary>The workers' consumer group, read by the queue-age health check.</summary>
    public string ConsumerGroup { get; set; } = RecordingJob.ConsumerGroup;

    /// <summary>The channel the workers listen on to pick a new job up at once; empty to leave them to their polling.</summary>
    public string? NudgeChannel { get; set; } = RecordingJob.NudgeChannel;
}
