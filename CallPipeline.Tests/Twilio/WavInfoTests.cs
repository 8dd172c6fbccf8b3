using CallPipeline.Twilio.Audio;

namespace CallPipeline.Tests.Twilio;

/// <summary>The one WAV header reader: the gateway's recordings, the worker's conversions and the OpenAI double's uploads.</summary>
public sealed class WavInfoTests
{
    [Fact]
    public void A_streamed_wav_with_a_placeholder_data_size_is_measured_by_the_bytes_that_arrived()
    {
        var wav = new byte[44 + 32_000];
        "RIFF"u8.CopyTo(wav);
        "WAVEfmt "u8.CopyTo(wav.AsSpan(8));
        BitConverter.GetBytes(16).CopyTo(wav, 16);
        BitConverter.GetBytes((short)1).CopyTo(wav, 20);
        BitConverter.GetBytes((short)1).CopyTo(wav, 22);
        BitConverter.GetBytes(16_000).CopyTo(wav, 24);
        BitConverter.GetBytes(32_000).CopyTo(wav, 28);
        BitConverter.GetBytes((short)2).CopyTo(wav, 32);
        BitConverter.GetBytes((short)16).CopyTo(wav, 34);
        "data"u8.CopyTo(wav.AsSpan(36));
        BitConverter.GetBytes(uint.MaxValue).CopyTo(wav, 40);

        var format = WavInfo.TryRead(new MemoryStream(wav));

        Assert.Equal(new WavInfo(1, 1, 16_000, 16, 44, 32_000), format);
        Assert.Equal(1.0, format!.DurationSeconds);
    }

    [Fact]
    public void A_header_without_channels_is_not_a_wav()
    {
        var header = WavInfo.Pcm16(16_000, 1).CanonicalHeader(0);
        header[22] = 0;

        Assert.Null(WavInfo.TryRead(new MemoryStream([.. header, 0, 0])));
    }
}
