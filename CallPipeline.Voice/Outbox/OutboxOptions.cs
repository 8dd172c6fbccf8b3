using CallPipeline.Data.Messages;

namespace CallPipeline.Voice.Outbox;

/// <summary>The worker's settings the relay shares (configuration section <c>Worker</c>).</summary>
public sealed class OutboxOptions
{
    public const string SectionName = "Worker";

    /// <summary>The Redis stream recording jobs are published to.</summary>
    public string Stream { get; set; } = RecordingJob.Topic;
}
