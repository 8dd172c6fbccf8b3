using System.Runtime.InteropServices;
using CallPipeline.Twilio.Audio;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// The call as a two-channel 8 kHz 16-bit PCM WAV on disk: the caller on the left, what we played on the right.
/// The caller's frames set the pace (Twilio plays our queued audio in real time), so each caller sample is paired with
/// the next queued outbound sample or silence. Samples are interleaved into a chunk in memory and each full chunk goes
/// to the <see cref="RecordingFileWriter"/>, so the file grows as the call goes and the receive loop never touches the
/// disk; the RIFF and data sizes are written when the recording completes.
/// </summary>
public sealed class StereoWavRecorder(string path, RecordingFileWriter writer) : IAsyncDisposable
{
    public const int SampleRate = 8000;
    private const int Channels = 2;
    private const int BytesPerSample = 2;
    private const int BytesPerFrame = Channels * BytesPerSample;
    /// <summary>A gap longer than this in the caller's timestamps is a stall, not silence worth a file's worth of zeros.</summary>
    private const long MaxGapSamples = SampleRate * 60;
    private static readonly WavInfo Format = WavInfo.Pcm16(SampleRate, Channels);

    private readonly Lock _lock = new();
    private readonly RecordingFile _file = new(path, WavInfo.CanonicalHeaderLength);
    private readonly Queue<short[]> _outbound = new();
    private byte[]? _chunk;
    private int _chunkLength;
    private int _outboundOffset;
    private bool _completed;

    public string Path => path;

    /// <summary>Sample frames (one left and one right sample each) recorded so far.</summary>
    public long SampleFrames { get; private set; }

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

    /// <summary>
    /// Ends the recording: the last chunk and the header with the final sizes go to the writer. Completes when the file
    /// is whole on disk, with false when it could not be written. Safe to call more than once.
    /// </summary>
    public Task<bool> CompleteAsync()
    {
        lock (_lock)
        {
            if (!_completed)
            {
                _completed = true;
                if (_chunk is not null)
                {
                    writer.Append(_file, _chunk, _chunkLength);
                    _chunk = null;
                }
                writer.Complete(_file, Format.CanonicalHeader(SampleFrames * BytesPerFrame));
            }
        }
        return _file.Completion.Task;
    }

    public async ValueTask DisposeAsync() => await CompleteAsync();

    private void WriteFrames(ReadOnlySpan<short> left)
    {
        SampleFrames += left.Length;
        while (!left.IsEmpty)
        {
            _chunk ??= writer.RentChunk();
            var count = Math.Min(left.Length, (RecordingFileWriter.ChunkBytes - _chunkLength) / BytesPerFrame);
            // WAV is little-endian, as are x64 and arm64 where the gateway runs: samples are interleaved as shorts in place.
            var frames = MemoryMarshal.Cast<byte, short>(_chunk.AsSpan(_chunkLength, count * BytesPerFrame));
            for (var i = 0; i < count; i++)
            {
                frames[2 * i] = left[i];
            }
            WriteOutbound(frames, count);
            _chunkLength += count * BytesPerFrame;
            left = left[count..];
            if (_chunkLength == RecordingFileWriter.ChunkBytes)
            {
                writer.Append(_file, _chunk, _chunkLength);
                _chunk = null;
                _chunkLength = 0;
            }
        }
    }

    /// <summary>The right channel of <paramref name="count"/> frames: queued outbound audio, then silence.</summary>
    private void WriteOutbound(Span<short> frames, int count)
    {
        var i = 0;
        while (i < count && _outbound.TryPeek(out var queued))
        {
            var take = Math.Min(count - i, queued.Length - _outboundOffset);
            for (var j = 0; j < take; j++)
            {
                frames[(2 * (i + j)) + 1] = queued[_outboundOffset + j];
            }
            i += take;
            _outboundOffset += take;
            if (_outboundOffset == queued.Length)
            {
                _outbound.Dequeue();
                _outboundOffset = 0;
            }
        }
        for (; i < count; i++)
        {
            frames[(2 * i) + 1] = 0;
        }
    }
}
