using CallPipeline.Voice.Calls;

namespace CallPipeline.Voice.Recordings;

/// <summary>The recording status callback's fields (Twilio may add others; they only matter to the signature).</summary>
public sealed record TwilioRecordingForm(
    string CallSid,
    string RecordingSid,
    string RecordingStatus,
    string? RecordingUrl,
    int? RecordingDuration,
    int? RecordingChannels,
    string? ErrorCode)
{
    public const string Completed = "completed";
    public const string Absent = "absent";
    public const string InProgress = "in-progress";

    /// <summary>The form, or null with the <paramref name="problem"/> (field names and limits, no values) when a field is missing or does not fit.</summary>
    public static TwilioRecordingForm? Parse(IFormCollection form, out string? problem)
    {
        var fields = new TwilioFormFields(form);
        var errorCode = fields.Text("ErrorCode", 16);
        var parsed = new TwilioRecordingForm(
            fields.Sid("CallSid", "CA", required: true) ?? "",
            fields.Sid("RecordingSid", "RE", required: true) ?? "",
            fields.Text("RecordingStatus", 32, required: true)?.ToLowerInvariant() ?? "",
            fields.Text("RecordingUrl", 1024),
            fields.Integer("RecordingDuration"),
            fields.Integer("RecordingChannels"),
            errorCode is "0" ? null : errorCode);
        problem = fields.Problem;
        return problem is null ? parsed : null;
    }

    /// <summary>in-progress, then one final status; a late in-progress never replaces a final one.</summary>
    public static bool IsFinal(string? status) => status is Completed or Absent or "failed";
}
