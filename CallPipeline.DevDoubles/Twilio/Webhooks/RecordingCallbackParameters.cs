using System.Globalization;
using CallPipeline.DevDoubles.Twilio.Recordings;

namespace CallPipeline.DevDoubles.Twilio.Webhooks;

/// <summary>The form Twilio posts to a RecordingStatusCallback (twilio.md §4.1).</summary>
public static class RecordingCallbackParameters
{
    public static List<KeyValuePair<string, string>> For(CallRecording recording, string publicBaseUrl)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", recording.AccountSid),
            new("CallSid", recording.CallSid),
            new("RecordingSid", recording.Sid),
            // Without extension: clients append .wav, .mp3 or nothing.
            new("RecordingUrl", $"{publicBaseUrl}/2010-04-01/Accounts/{recording.AccountSid}/Recordings/{recording.Sid}"),
            new("RecordingStatus", recording.Status),
            new("RecordingChannels", recording.Channels.ToString(CultureInfo.InvariantCulture)),
            new("RecordingSource", recording.Source),
            new("RecordingStartTime", TwilioDates.Rfc2822(recording.StartTime)),
            new("RecordingTrack", recording.Request.Track),
        };
        if (recording.Status == RecordingStatuses.Completed)
        {
            parameters.Add(new("RecordingDuration", (recording.DurationSeconds ?? 0).ToString(CultureInfo.InvariantCulture)));
        }
        if (recording.Status != RecordingStatuses.InProgress)
        {
            parameters.Add(new("ErrorCode", (recording.ErrorCode ?? 0).ToString(CultureInfo.InvariantCulture)));
        }
        return parameters;
    }
}
