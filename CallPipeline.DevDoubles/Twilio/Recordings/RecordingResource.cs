namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>Twilio's call recording resource as JSON (twilio.md §2.4), snake_case through <see cref="TwilioJson"/>.</summary>
public sealed record RecordingResource(
    string AccountSid,
    string ApiVersion,
    string CallSid,
    string? ConferenceSid,
    int? Channels,
    string DateCreated,
    string DateUpdated,
    string StartTime,
    string? Price,
    string? PriceUnit,
    string? Duration,
    string Sid,
    string Source,
    string Status,
    int? ErrorCode,
    object? EncryptionDetails,
    string Track,
    string Uri)
{
    /// <summary>
    /// The resource now. Fetched while still recording, its duration is the string "-1" as on Twilio (original-system.md
    /// tripped over comparing it with the number -1); the create answer has null, as in twilio.md §2.4.
    /// </summary>
    public static RecordingResource From(CallRecording recording, DateTimeOffset now, bool justCreated = false) => new(
        recording.AccountSid,
        "2010-04-01",
        recording.CallSid,
        null,
        recording.Channels,
        TwilioDates.Rfc2822(recording.StartTime),
        TwilioDates.Rfc2822(now),
        TwilioDates.Rfc2822(recording.StartTime),
        null,
        "USD",
        recording.DurationSeconds?.ToString(System.Globalization.CultureInfo.InvariantCulture)
            ?? (justCreated || recording.Status != RecordingStatuses.InProgress ? null : "-1"),
        recording.Sid,
        recording.Source,
        recording.Status,
        recording.Status == RecordingStatuses.Absent ? recording.ErrorCode : null,
        null,
        recording.Request.Track,
        $"/2010-04-01/Accounts/{recording.AccountSid}/Calls/{recording.CallSid}/Recordings/{recording.Sid}.json");
}
