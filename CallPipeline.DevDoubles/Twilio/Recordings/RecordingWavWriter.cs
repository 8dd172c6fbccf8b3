using System.Buffers.Binary;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.DevDoubles.Twilio.Recordings;

/// <summary>
/// Streams a recording to disk as 8 kHz 16-bit PCM WAV while the call runs, as frames arrive; the RIFF sizes are
/// patched in when it completes. Two channels: 1 the caller (inbound), 2 the gateway (outbound); one channel mixes both.
/// </summary>
public sealed class RecordingWavWriter : IDisposable
{
    public const int SampleRate = 8000;

    private readonly FileStream _file;
    private readonly int _channels;
    private long _dataBytes;

    public RecordingWavWriter(string path, int channels)
    {
        _channels = channels;
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
        _file.Write(Header(channels, 0));
    }

    public long SampleFrames => _dataBytes / (2 * _channels);

    public void WriteFrame(ReadOnlySpan<short> caller, ReadOnlySpan<short> gateway)
    {
        var frame = new byte[caller.Length * 2 * _channels];
        for (var i = 0; i < caller.Length; i++)
        {
            if (_channels == 2)
            {
                BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(i * 4), caller[i]);
                BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(i * 4 + 2), gateway[i]);
            }
            else
            {
                BinaryPrimitives.WriteInt16LittleEndian(frame.AsSpan(i * 2), Mix(caller[i], gateway[i]));
            }
        }
        _file.Write(frame);
        _dataBytes += frame.Length;
    }

    /// <summary>Writes the final sizes into the header and closes the file.</summary>
    public void Complete()
    {
        _file.Position = 0;
        _file.Write(Header(_channels, _dataBytes));
        _file.Dispose();
    }

    public void Dispose() => _file.Dispose();

    public static short Mix(short a, short b) => (short)Math.Clamp(a + b, short.MinValue, short.MaxValue);

    public static byte[] Header(int channels, long dataBytes) => WavInfo.Pcm16(SampleRate, channels).CanonicalHeader(dataBytes);
}
