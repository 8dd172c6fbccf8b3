namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>Twilio's recording status values (RecordingStatus in callbacks, "status" in the resource).</summary>
public static class RecordingStatuses
{
    public const string InProgress = "in-progress";
    public const string Completed = "completed";
    public const string Absent = "absent";
}
