using System.Buffers.Binary;

namespace CallPipeline.Twilio.Audio;

/// <summary>
/// The format and data chunk of a RIFF/WAVE PCM file: Twilio's recordings, the gateway's own recording of a stream, and
/// what the worker converts to.
/// </summary>
public sealed record WavInfo(int AudioFormat, int Channels, int SampleRate, int BitsPerSample, long DataOffset, long DataLength)
{
    public const int CanonicalHeaderLength = 44;

    /// <summary>16-bit PCM, written with the canonical header and its samples right after it.</summary>
    public static WavInfo Pcm16(int sampleRate, int channels) => new(1, channels, sampleRate, 16, CanonicalHeaderLength, 0);

    public int BlockAlign => Channels * BitsPerSample / 8;

    public int ByteRate => SampleRate * BlockAlign;

    public double DurationSeconds => ByteRate == 0 ? 0 : (double)DataLength / ByteRate;

    /// <summary>Null when the file is not RIFF/WAVE with fmt and data chunks.</summary>
    public static WavInfo? TryRead(string path)
    {
        using var stream = File.OpenRead(path);
        return TryRead(stream);
    }

    /// <summary>
    /// Null when the seekable <paramref name="stream"/>, read from its start, is not RIFF/WAVE with fmt and data chunks
    /// or its format is impossible (no channels, no sample rate).
    /// </summary>
    public static WavInfo? TryRead(Stream stream)
    {
        Span<byte> header = stackalloc byte[12];
        if (stream.Read(header) != 12 || !header[..4].SequenceEqual("RIFF"u8) || !header[8..12].SequenceEqual("WAVE"u8))
        {
            return null;
        }
        Span<byte> chunk = stackalloc byte[8];
        Span<byte> format = stackalloc byte[16];
        WavInfo? info = null;
        while (stream.Read(chunk) == 8)
        {
            var id = chunk[..4];
            var size = BinaryPrimitives.ReadUInt32LittleEndian(chunk[4..]);
            if (id.SequenceEqual("fmt "u8))
            {
                if (size < 16 || stream.Read(format) != 16)
                {
                    return null;
                }
                info = new WavInfo(
                    BinaryPrimitives.ReadUInt16LittleEndian(format),
                    BinaryPrimitives.ReadUInt16LittleEndian(format[2..]),
                    (int)BinaryPrimitives.ReadUInt32LittleEndian(format[4..]),
                    BinaryPrimitives.ReadUInt16LittleEndian(format[14..]),
                    0,
                    0);
                stream.Seek(size - 16 + (size & 1), SeekOrigin.Current);
            }
            else if (id.SequenceEqual("data"u8))
            {
                if (info is not { Channels: > 0, SampleRate: > 0, BlockAlign: > 0 })
                {
                    return null;
                }
                // A streamed WAV may carry 0 or 0xFFFFFFFF as its size; the bytes present are the truth then.
                var available = stream.Length - stream.Position;
                var length = size == 0 || size > available ? available : size;
                return info with { DataOffset = stream.Position, DataLength = length };
            }
            else
            {
                stream.Seek(size + (size & 1), SeekOrigin.Current);
            }
        }
        return null;
    }

    /// <summary>The canonical 44-byte header of a PCM WAV with <paramref name="dataLength"/> bytes of samples.</summary>
    public byte[] CanonicalHeader(long dataLength)
    {
        // Sizes are 32-bit: longer data is written with the largest size the header can hold.
        dataLength = Math.Min(dataLength, uint.MaxValue - CanonicalHeaderLength);
        var header = new byte[CanonicalHeaderLength];
        "RIFF"u8.CopyTo(header);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(4), (uint)(36 + dataLength));
        "WAVE"u8.CopyTo(header.AsSpan(8));
        "fmt "u8.CopyTo(header.AsSpan(12));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(16), 16);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(20), (ushort)AudioFormat);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(22), (ushort)Channels);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(24), (uint)SampleRate);
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(28), (uint)ByteRate);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(32), (ushort)BlockAlign);
        BinaryPrimitives.WriteUInt16LittleEndian(header.AsSpan(34), (ushort)BitsPerSample);
        "data"u8.CopyTo(header.AsSpan(36));
        BinaryPrimitives.WriteUInt32LittleEndian(header.AsSpan(40), (uint)dataLength);
        return header;
    }
}
