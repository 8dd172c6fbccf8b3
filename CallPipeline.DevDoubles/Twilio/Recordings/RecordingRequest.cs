namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>
/// The form of a start-recording request. Twilio's REST defaults differ from &lt;Start&gt;&lt;Recording&gt;: mono, and
/// only the <c>completed</c> callback event unless others are asked for.
/// </summary>
public sealed record RecordingRequest(
    bool Dual,
    string Track,
    string? StatusCallback,
    string StatusCallbackMethod,
    IReadOnlySet<string> StatusCallbackEvents)
{
    public static RecordingRequest FromForm(IFormCollection form)
    {
        // The SDKs repeat the key for several events; the docs separate them with spaces. Accept both.
        var events = form["RecordingStatusCallbackEvent"]
            .SelectMany(value => (value ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            .ToHashSet(StringComparer.Ordinal);
        if (events.Count == 0)
        {
            events.Add(RecordingStatuses.Completed);
        }
        var callback = form["RecordingStatusCallback"].ToString();
        var method = form["RecordingStatusCallbackMethod"].ToString();
        var track = form["RecordingTrack"].ToString();
        return new RecordingRequest(
            string.Equals(form["RecordingChannels"].ToString(), "dual", StringComparison.OrdinalIgnoreCase),
            track.Length == 0 ? "both" : track,
            callback.Length == 0 ? null : callback,
            method.Length == 0 ? "POST" : method.ToUpperInvariant(),
            events);
    }

    public bool Wants(string recordingStatus) => StatusCallback is not null && StatusCallbackEvents.Contains(recordingStatus);
}
