using System.Buffers.Binary;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.Tests.Voice.Support;

/// <summary>
/// A PCM WAV the gateway wrote, read back from disk with the product's reader; its header must be the canonical one
/// with sizes that match the data actually present.
/// </summary>
internal sealed record WavFile(int Channels, int SampleRate, int BitsPerSample, long DataBytes, short[] Samples)
{
    public long SampleFrames => DataBytes / (Channels * BitsPerSample / 8);

    public IEnumerable<short> Channel(int index) => Samples.Where((_, i) => i % Channels == index);

    public static WavFile Read(string path) => Parse(File.ReadAllBytes(path));

    public static WavFile Parse(byte[] bytes)
    {
        var info = WavInfo.TryRead(new MemoryStream(bytes));
        Assert.NotNull(info);
        Assert.Equal(WavInfo.CanonicalHeaderLength, info.DataOffset);
        Assert.Equal(bytes.Length - 8, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(4)));
        Assert.Equal(bytes.Length - WavInfo.CanonicalHeaderLength, BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(40)));
        var samples = new short[info.DataLength / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(bytes.AsSpan(WavInfo.CanonicalHeaderLength + (2 * i)));
        }
        return new WavFile(info.Channels, info.SampleRate, info.BitsPerSample, info.DataLength, samples);
    }
}
