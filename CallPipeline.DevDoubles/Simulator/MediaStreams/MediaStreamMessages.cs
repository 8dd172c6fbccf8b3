using System.Text.Json;
using System.Text.Json.Serialization;

namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>
/// The messages Twilio sends on a Media Stream, shaped exactly as twilio.md §3 shows them: sequenceNumber, chunk and
/// timestamp are strings, sampleRate and channels numbers.
/// </summary>
public static class MediaStreamMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
    };

    public static string Connected() => Serialize(new ConnectedMessage("connected", "Call", "1.0.0"));

    public static string Start(int sequenceNumber, string accountSid, string callSid, string streamSid, IReadOnlyDictionary<string, string> customParameters) =>
        Serialize(new StartMessage(
            "start",
            Number(sequenceNumber),
            new StartDetails(accountSid, streamSid, callSid, ["inbound"], new MediaFormat("audio/x-mulaw", 8000, 1), customParameters),
            streamSid));

    public static string Media(int sequenceNumber, string streamSid, int chunk, long timestampMs, ReadOnlySpan<byte> muLaw) =>
        Serialize(new MediaMessage(
            "media",
            Number(sequenceNumber),
            new MediaDetails("inbound", Number(chunk), timestampMs.ToString(System.Globalization.CultureInfo.InvariantCulture), Convert.ToBase64String(muLaw)),
            streamSid));

    public static string Mark(int sequenceNumber, string streamSid, string name) =>
        Serialize(new MarkMessage("mark", Number(sequenceNumber), streamSid, new MarkDetails(name)));

    /// <summary>A keypad press; Twilio sends these only on bidirectional streams, with track "inbound_track".</summary>
    public static string Dtmf(int sequenceNumber, string streamSid, char digit) =>
        Serialize(new DtmfMessage("dtmf", streamSid, Number(sequenceNumber), new DtmfDetails("inbound_track", digit.ToString())));

    public static string Stop(int sequenceNumber, string accountSid, string callSid, string streamSid) =>
        Serialize(new StopMessage("stop", Number(sequenceNumber), new StopDetails(accountSid, callSid), streamSid));

    private static string Number(int value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static string Serialize<T>(T message) => JsonSerializer.Serialize(message, Json);

    private sealed record ConnectedMessage(string Event, string Protocol, string Version);

    private sealed record StartMessage(string Event, string SequenceNumber, StartDetails Start, string StreamSid);

    private sealed record StartDetails(
        string AccountSid, string StreamSid, string CallSid, string[] Tracks, MediaFormat MediaFormat, IReadOnlyDictionary<string, string> CustomParameters);

    private sealed record MediaFormat(string Encoding, int SampleRate, int Channels);

    private sealed record MediaMessage(string Event, string SequenceNumber, MediaDetails Media, string StreamSid);

    private sealed record MediaDetails(string Track, string Chunk, string Timestamp, string Payload);

    private sealed record MarkMessage(string Event, string SequenceNumber, string StreamSid, MarkDetails Mark);

    private sealed record MarkDetails(string Name);

    private sealed record DtmfMessage(string Event, string StreamSid, string SequenceNumber, DtmfDetails Dtmf);

    private sealed record DtmfDetails(string Track, string Digit);

    private sealed record StopMessage(string Event, string SequenceNumber, StopDetails Stop, string StreamSid);

    private sealed record StopDetails(string AccountSid, string CallSid);
}
