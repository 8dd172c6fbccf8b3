using System.Buffers.Binary;

namespace CallPipeline.DevDoubles.OpenAi.Audio;

/// <summary>Reads a RIFF/WAVE header's <c>fmt </c> and <c>data</c> chunks.</summary>
public static class WavHeaderReader
{
    /// <summary>The header's facts, or null when the RIFF structure is broken (no fmt or data chunk, impossible values).</summary>
    public static WavFormat? Read(ReadOnlySpan<byte> wav)
    {
        if (wav.Length < 12 || !wav[..4].SequenceEqual("RIFF"u8) || !wav[8..12].SequenceEqual("WAVE"u8))
        {
            return null;
        }

        (int AudioFormat, int Channels, int SampleRate, int ByteRate, int BitsPerSample)? fmt = null;
        var offset = 12;
        while (offset + 8 <= wav.Length)
        {
            var id = wav.Slice(offset, 4);
            var size = BinaryPrimitives.ReadUInt32LittleEndian(wav.Slice(offset + 4, 4));
            var body = offset + 8;
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || body + 16 > wav.Length)
                {
                    return null;
                }
                var chunk = wav.Slice(body, 16);
                fmt = (BinaryPrimitives.ReadUInt16LittleEndian(chunk),
                    BinaryPrimitives.ReadUInt16LittleEndian(chunk[2..]),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(chunk[8..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(chunk[14..]));
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (fmt is not { } format || format.Channels == 0 || format.SampleRate <= 0 || format.ByteRate <= 0)
                {
                    return null;
                }
                // Streamed WAVs (a pipe, Twilio's live media) carry a placeholder size: trust the bytes that arrived.
                var dataBytes = Math.Min((long)size, wav.Length - body);
                return new WavFormat(format.AudioFormat, format.Channels, format.SampleRate, format.BitsPerSample,
                    dataBytes, Math.Round((double)dataBytes / format.ByteRate, 3));
            }
            var next = body + (long)size + (size & 1);
            if (next > wav.Length)
            {
                break;
            }
            offset = (int)next;
        }
        return null;
    }
}
