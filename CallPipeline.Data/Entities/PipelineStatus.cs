namespace CallPipeline.Data.Entities;

/// <summary>Where a call is in the post-call pipeline. Only moves forward; Twilio's own status is kept apart.</summary>
public enum PipelineStatus
{
    Received,
    InProgress,
    Ended,
    Recorded,
    Processing,
    Processed,
    Missed,
    Failed,
    Rejected,
}
