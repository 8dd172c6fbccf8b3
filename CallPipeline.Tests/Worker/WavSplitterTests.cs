extern alias worker;

using System.Buffers.Binary;
using CallPipeline.Twilio.Audio;
using worker::CallPipeline.Worker.Audio;
using worker::CallPipeline.Worker.Transcription;

namespace CallPipeline.Tests.Worker;

/// <summary>Turns and parts are slices of the converted WAV, read when uploaded: each a whole WAV of exactly its samples.</summary>
public sealed class WavSplitterTests : IDisposable
{
    private const int SampleRate = 16000;
    private readonly string _path = Path.Combine(Path.GetTempPath(), $"wav-splitter-{Guid.NewGuid():N}.wav");

    [Fact]
    public async Task A_slice_uploads_as_a_wav_of_exactly_the_samples_of_its_range()
    {
        // 2 s of one-channel 16-bit audio whose n-th sample holds n, so each sample tells where it came from.
        var info = await WriteCountingWavAsync(2 * SampleRate);

        var slices = WavSplitter.Cut(info, [(0.5, 0.75), (1.5, double.PositiveInfinity)]);
        await using var upload = new ClipUpload(_path, "turn.wav", slices[0]).Open();
        var wav = await ReadAllAsync(upload);

        var sliceInfo = WavInfo.TryRead(new MemoryStream(wav))!;
        Assert.Equal((1, SampleRate, 16), (sliceInfo.Channels, sliceInfo.SampleRate, sliceInfo.BitsPerSample));
        Assert.Equal(0.25, sliceInfo.DurationSeconds, 6);
        var samples = Samples(wav.AsSpan((int)sliceInfo.DataOffset));
        Assert.Equal(Enumerable.Range(SampleRate / 2, SampleRate / 4).Select(n => (short)n), samples);
        Assert.Equal(0.5, slices[1].Length / 2.0 / SampleRate, 6);
        // A retried upload sends the same bytes again.
        upload.Position = 0;
        Assert.Equal(wav, await ReadAllAsync(upload));
    }

    [Fact]
    public async Task Split_slices_follow_each_other_and_together_hold_every_sample()
    {
        var info = await WriteCountingWavAsync(SampleRate);

        var slices = WavSplitter.Split(info, [0.25, 0.6]);

        var joined = new List<short>();
        foreach (var slice in slices)
        {
            await using var stream = slice.Open(_path);
            joined.AddRange(Samples((await ReadAllAsync(stream)).AsSpan(WavInfo.CanonicalHeaderLength)));
        }
        Assert.Equal(3, slices.Count);
        Assert.Equal(Enumerable.Range(0, SampleRate).Select(n => (short)n), joined);
    }

    public void Dispose() => File.Delete(_path);

    private async Task<WavInfo> WriteCountingWavAsync(int samples)
    {
        var data = new byte[samples * 2];
        for (var n = 0; n < samples; n++)
        {
            BinaryPrimitives.WriteInt16LittleEndian(data.AsSpan(n * 2), (short)n);
        }
        await File.WriteAllBytesAsync(_path, [.. WavInfo.Pcm16(SampleRate, 1).CanonicalHeader(data.Length), .. data]);
        return WavInfo.TryRead(_path)!;
    }

    /// <summary>Reads in small pieces, so reads cross from the header into the samples and end at the slice's end.</summary>
    private static async Task<byte[]> ReadAllAsync(Stream stream)
    {
        var all = new MemoryStream();
        var buffer = new byte[1000];
        int read;
        while ((read = await stream.ReadAsync(buffer)) > 0)
        {
            all.Write(buffer, 0, read);
        }
        Assert.Equal(stream.Length, all.Length);
        return all.ToArray();
    }

    private static short[] Samples(ReadOnlySpan<byte> data)
    {
        var samples = new short[data.Length / 2];
        for (var i = 0; i < samples.Length; i++)
        {
            samples[i] = BinaryPrimitives.ReadInt16LittleEndian(data[(i * 2)..]);
        }
        return samples;
    }
}
