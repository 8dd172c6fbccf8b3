using System.Buffers.Binary;
using System.Text;

namespace CallPipeline.Tests.Voice.Support;

/// <summary>A PCM WAV read back from disk, header fields checked against the data actually present.</summary>
internal sealed record WavFile(int Channels, int SampleRate, int BitsPerSample, long DataBytes, short[] Samples)
{
    public long SampleFrames => DataBytes / (Channels * BitsPerSample / 8);

    public IEnumerable<short> Channel(int index) => Samples.Where((_, i) => i % Channels == index);

    public static WavFile Read(string path) => Parse(File.ReadAllBytes(path));

    public static WavFile Parse(byte[] bytes)
    {
        Assert.Equal("RIFF", Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal("WAVE", Encoding.ASCII.GetString(bytes, 8, 4));
        Assert.Equal(bytes.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal("data", Encoding.ASCII.GetString(bytes, 36, 4));
        var dataBytes = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40));
        Assert.Equal(bytes.Length - 44, dataBytes);
        var samples = new short[dataBytes / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(44 + (2 * i)));
        }
        return new WavFile(
            BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(22)),
            BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(24)),
            BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(34)),
            dataBytes,
            samples);
    }
}
