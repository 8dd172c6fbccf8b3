using System.Text.Json;

namespace CallPipeline.Twilio.MediaStreams;

/// <summary>Reads Twilio's Media Streams messages and writes ours.</summary>
public static class MediaStreamSerializer
{
    /// <summary>The message, or null when <paramref name="utf8Json"/> is not a JSON object with an <c>event</c>.</summary>
    public static MediaStreamMessage? TryParse(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var message = JsonSerializer.Deserialize(utf8Json, MediaStreamJsonContext.Default.MediaStreamMessage);
            return message?.Event is null ? null : message;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    public static byte[] Media(string streamSid, ReadOnlySpan<byte> muLaw) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new OutboundMediaMessage(streamSid, new OutboundMedia(Convert.ToBase64String(muLaw))),
            MediaStreamJsonContext.Default.OutboundMediaMessage);

    public static byte[] Mark(string streamSid, string name) =>
        JsonSerializer.SerializeToUtf8Bytes(new OutboundMarkMessage(streamSid, new StreamMark(name)), MediaStreamJsonContext.Default.OutboundMarkMessage);

    public static byte[] Clear(string streamSid) =>
        JsonSerializer.SerializeToUtf8Bytes(new ClearMessage(streamSid), MediaStreamJsonContext.Default.ClearMessage);
}
