using System.Buffers;
using System.Buffers.Text;
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

    /// <summary>
    /// Reads a <c>media</c> message as Twilio writes it (lower-case names, an unescaped base64 payload) without
    /// allocating, decoding the payload into <paramref name="muLaw"/>. False for anything else, including a payload
    /// that is not base64 or does not fit: <see cref="TryParse"/> then reads the message the general way.
    /// </summary>
    public static bool TryReadMedia(ReadOnlySpan<byte> utf8Json, Span<byte> muLaw, out MediaFrame frame)
    {
        frame = default;
        try
        {
            var reader = new Utf8JsonReader(utf8Json);
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return false;
            }
            var isMedia = false;
            MediaFrame? media = null;
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("event"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(MediaStreamEvents.Media))
                    {
                        return false;
                    }
                    isMedia = true;
                }
                else if (reader.ValueTextEquals("media"u8))
                {
                    reader.Read();
                    if (reader.TokenType != JsonTokenType.StartObject || (media = ReadMediaBody(ref reader, muLaw)) is null)
                    {
                        return false;
                    }
                }
                else
                {
                    reader.Read();
                    reader.Skip();
                }
            }
            if (!isMedia || media is null || reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return false;
            }
            frame = media.Value;
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static MediaFrame? ReadMediaBody(ref Utf8JsonReader reader, Span<byte> muLaw)
    {
        var track = MediaTrack.Unnamed;
        long? timestamp = null;
        int? length = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("track"u8))
            {
                reader.Read();
                track = reader.TokenType == JsonTokenType.Null ? MediaTrack.Unnamed
                    : reader.TokenType == JsonTokenType.String && reader.ValueTextEquals("inbound"u8) ? MediaTrack.Inbound
                    : MediaTrack.Other;
            }
            else if (reader.ValueTextEquals("timestamp"u8))
            {
                reader.Read();
                // Twilio sends the number as a string.
                if (reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && Utf8Parser.TryParse(reader.ValueSpan, out long fromString, out var used) && used == reader.ValueSpan.Length)
                {
                    timestamp = fromString;
                }
                else if (reader.TokenType == JsonTokenType.Number && reader.TryGetInt64(out var number))
                {
                    timestamp = number;
                }
                else if (reader.TokenType != JsonTokenType.Null)
                {
                    return null;
                }
            }
            else if (reader.ValueTextEquals("payload"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped
                    || Base64.DecodeFromUtf8(reader.ValueSpan, muLaw, out _, out var written) != OperationStatus.Done)
                {
                    return null;
                }
                length = written;
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        return length is { } payloadLength ? new MediaFrame(track, timestamp, payloadLength) : null;
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
