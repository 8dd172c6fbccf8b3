using System.Buffers.Binary;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// The call as a two-channel 8 kHz 16-bit PCM WAV on disk: the caller on the left, what we played on the right.
/// The caller's frames set the pace (Twilio plays our queued audio in real time), so each caller sample is paired with
/// the next queued outbound sample or silence. Written as it arrives, never held whole in memory; the RIFF and data
/// sizes are patched when the recording completes.
/// </summary>
public sealed class StereoWavRecorder : IDisposable
{
    public const int SampleRate = 8000;
    private const int Channels = 2;
    private const int BytesPerSample = 2;
    /// <summary>A gap longer than this in the caller's timestamps is a stall, not silence worth a file's worth of zeros.</summary>
    private const long MaxGapSamples = SampleRate * 60;

    private readonly Lock _lock = new();
    private readonly FileStream _file;
    private readonly Queue<short[]> _outbound = new();
    private int _outboundOffset;
    private bool _completed;

    public StereoWavRecorder(string path)
    {
        Path = path;
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        _file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read, bufferSize: 64 * 1024);
        _file.Write(Header(0));
    }

    public string Path { get; }

    /// <summary>Sample frames (one left and one right sample each) written so far.</summary>
    public long SampleFrames { get; private set; }

    public TimeSpan Duration => TimeSpan.FromSeconds(SampleFrames / (double)SampleRate);

    /// <summary>Audio we sent to the caller, played after what is already queued.</summary>
    public void QueueOutbound(ReadOnlySpan<short> pcm)
    {
        lock (_lock)
        {
            _outbound.Enqueue(pcm.ToArray());
        }
    }

    /// <summary>Twilio dropped its playback buffer (<c>clear</c>): so does the recording.</summary>
    public void ClearOutbound()
    {
        lock (_lock)
        {
            _outbound.Clear();
            _outboundOffset = 0;
        }
    }

    /// <summary>
    /// Appends the caller's audio. <paramref name="timestampMs"/> (Twilio's media timestamp) lets a gap in the caller's
    /// audio become silence, so both channels stay on the call's clock.
    /// </summary>
    public void WriteInbound(ReadOnlySpan<short> pcm, long? timestampMs)
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            if (timestampMs is { } timestamp)
            {
                var gap = Math.Min((timestamp * SampleRate / 1000) - SampleFrames, MaxGapSamples);
                // Less than one 20 ms frame of drift is jitter, not a gap.
                if (gap >= SampleRate / 50)
                {
                    Span<short> silence = stackalloc short[160];
                    for (var remaining = gap; remaining > 0; remaining -= silence.Length)
                    {
                        WriteFrames(silence[..(int)Math.Min(remaining, silence.Length)]);
                    }
                }
            }
            WriteFrames(pcm);
        }
    }

    /// <summary>Patches the header with the final sizes and closes the file. Safe to call more than once.</summary>
    public void Complete()
    {
        lock (_lock)
        {
            if (_completed)
            {
                return;
            }
            _completed = true;
            _file.Flush();
            _file.Position = 0;
            _file.Write(Header(SampleFrames * Channels * BytesPerSample));
            _file.Dispose();
        }
    }

    public void Dispose() => Complete();

    private void WriteFrames(ReadOnlySpan<short> left)
    {
        // Interleaved a frame at a time, so the file sees one write per 20 ms rather than one per sample.
        const int FrameSamples = 160;
        Span<byte> interleaved = stackalloc byte[FrameSamples * Channels * BytesPerSample];
        for (var start = 0; start < left.Length; start += FrameSamples)
        {
            var samples = left.Slice(start, Math.Min(FrameSamples, left.Length - start));
            for (var i = 0; i < samples.Length; i++)
            {
                BinaryPrimitives.WriteInt16LittleEndian(interleaved[(i * 4)..], samples[i]);
                BinaryPrimitives.WriteInt16LittleEndian(interleaved[(i * 4 + 2)..], NextOutboundSample());
            }
            _file.Write(interleaved[..(samples.Length * Channels * BytesPerSample)]);
        }
        SampleFrames += left.Length;
    }

    private short NextOutboundSample()
    {
        if (!_outbound.TryPeek(out var chunk))
        {
            return 0;
        }
        var sample = chunk[_outboundOffset++];
        if (_outboundOffset == chunk.Length)
        {
            _outbound.Dequeue();
            _outboundOffset = 0;
        }
        return sample;
    }

    private static byte[] Header(long dataBytes) => WavInfo.Pcm16(SampleRate, Channels).CanonicalHeader(dataBytes);
}
