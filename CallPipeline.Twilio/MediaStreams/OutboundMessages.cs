using System.Text.Json.Serialization;

namespace CallPipeline.Twilio.MediaStreams;

/// <summary>Audio for Twilio to play: raw 8 kHz mu-law, base64, no file header.</summary>
public sealed record OutboundMediaMessage(string StreamSid, OutboundMedia Media)
{
    [JsonPropertyOrder(-1)]
    public string Event => MediaStreamEvents.Media;
}

public sealed record OutboundMedia(string Payload);

/// <summary>Twilio echoes the mark when the audio sent before it has played, or when it is cleared.</summary>
public sealed record OutboundMarkMessage(string StreamSid, StreamMark Mark)
{
    [JsonPropertyOrder(-1)]
    public string Event => MediaStreamEvents.Mark;
}

/// <summary>Empties Twilio's playback buffer; every pending mark is echoed.</summary>
public sealed record ClearMessage(string StreamSid)
{
    [JsonPropertyOrder(-1)]
    public string Event => MediaStreamEvents.Clear;
}
