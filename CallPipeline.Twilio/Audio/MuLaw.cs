namespace CallPipeline.Twilio.Audio;

/// <summary>
/// G.711 mu-law, the audio of Twilio Media Streams (8 kHz, one byte a sample). Encoding follows Sun's g711.c
/// linear2ulaw (the variant CPython's audioop uses); decoding its ulaw2linear.
/// </summary>
public static class MuLaw
{
    private const int Bias = 0x84;
    private const int Clip = 8159;
    private static readonly short[] DecodeTable = BuildDecodeTable();
    private static readonly int[] SegmentEnds = [0x3F, 0x7F, 0xFF, 0x1FF, 0x3FF, 0x7FF, 0xFFF, 0x1FFF];

    public static short Decode(byte value) => DecodeTable[value];

    public static void Decode(ReadOnlySpan<byte> source, Span<short> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = DecodeTable[source[i]];
        }
    }

    public static byte Encode(short sample)
    {
        // In int: negating -32768 as a short overflows.
        var pcm = sample >> 2;
        int mask;
        if (pcm < 0)
        {
            pcm = -pcm;
            mask = 0x7F;
        }
        else
        {
            mask = 0xFF;
        }
        pcm = Math.Min(pcm, Clip) + (Bias >> 2);

        var segment = 0;
        while (segment < SegmentEnds.Length && pcm > SegmentEnds[segment])
        {
            segment++;
        }
        if (segment >= SegmentEnds.Length)
        {
            return (byte)(0x7F ^ mask);
        }
        return (byte)(((segment << 4) | ((pcm >> (segment + 1)) & 0xF)) ^ mask);
    }

    public static void Encode(ReadOnlySpan<short> source, Span<byte> destination)
    {
        if (destination.Length < source.Length)
        {
            throw new ArgumentException("The destination is shorter than the source.", nameof(destination));
        }
        for (var i = 0; i < source.Length; i++)
        {
            destination[i] = Encode(source[i]);
        }
    }

    private static short[] BuildDecodeTable()
    {
        var table = new short[256];
        for (var i = 0; i < 256; i++)
        {
            var u = ~i & 0xFF;
            var t = ((u & 0x0F) << 3) + Bias;
            t <<= (u & 0x70) >> 4;
            table[i] = (short)((u & 0x80) != 0 ? Bias - t : t - Bias);
        }
        return table;
    }
}
