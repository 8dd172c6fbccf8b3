namespace CallPipeline.Twilio.MediaStreams;

/// <summary>
/// Any message Twilio sends on a Media Stream. Exactly one of the event bodies is set, named by <see cref="Event"/>.
/// Twilio sends <c>sequenceNumber</c>, <c>chunk</c> and <c>timestamp</c> as JSON strings; they are read as numbers.
/// </summary>
public sealed record MediaStreamMessage(
    string? Event,
    long? SequenceNumber = null,
    string? StreamSid = null,
    string? Protocol = null,
    string? Version = null,
    StreamStart? Start = null,
    StreamMedia? Media = null,
    StreamMark? Mark = null,
    StreamDtmf? Dtmf = null,
    StreamStop? Stop = null);

public sealed record StreamStart(
    string? AccountSid,
    string? StreamSid,
    string? CallSid,
    IReadOnlyList<string>? Tracks = null,
    IReadOnlyDictionary<string, string>? CustomParameters = null,
    MediaFormat? MediaFormat = null);

/// <summary>Always audio/x-mulaw, 8000 Hz, one channel on Twilio today.</summary>
public sealed record MediaFormat(string? Encoding, int SampleRate, int Channels)
{
    public const string MuLaw = "audio/x-mulaw";
}

/// <summary>One chunk of audio: <see cref="Timestamp"/> is milliseconds from the stream start, <see cref="Payload"/> base64 mu-law.</summary>
public sealed record StreamMedia(string? Track, long? Chunk, long? Timestamp, string? Payload);

public sealed record StreamMark(string? Name);

public sealed record StreamDtmf(string? Track, string? Digit);

public sealed record StreamStop(string? AccountSid, string? CallSid);
