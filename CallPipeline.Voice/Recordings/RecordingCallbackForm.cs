using CallPipeline.Voice.Calls;

namespace CallPipeline.Voice.Recordings;

/// <summary>The recording status callback's fields (Twilio may add others; they only matter to the signature).</summary>
public sealed record RecordingCallbackForm(
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

    public static RecordingCallbackForm? Parse(IFormCollection form)
    {
        var callSid = CallWebhookForm.Value(form["CallSid"]);
        var recordingSid = CallWebhookForm.Value(form["RecordingSid"]);
        var status = CallWebhookForm.Value(form["RecordingStatus"])?.ToLowerInvariant();
        if (callSid is null || recordingSid is null || status is null || callSid.Length > 64 || recordingSid.Length > 64)
        {
            return null;
        }
        var errorCode = CallWebhookForm.Value(form["ErrorCode"]);
        return new RecordingCallbackForm(
            callSid,
            recordingSid,
            status,
            CallWebhookForm.Value(form["RecordingUrl"]),
            CallWebhookForm.Integer(form["RecordingDuration"]),
            CallWebhookForm.Integer(form["RecordingChannels"]),
            errorCode is "0" ? null : errorCode);
    }

    /// <summary>in-progress, then one final status; a late in-progress never replaces a final one.</summary>
    public static bool IsFinal(string? status) => status is Completed or Absent or "failed";
}
