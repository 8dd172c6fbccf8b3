using CallPipeline.Twilio.Audio;
using Microsoft.Win32.SafeHandles;

namespace CallPipeline.Worker.Audio;

/// <summary>
/// Cuts a PCM WAV at given times into slices of its samples, each sent as a WAV of its own (<see cref="WavSlice"/>).
/// Exact, needs no re-encoding, and writes nothing: a turn's audio is read from the channel's file when it is uploaded,
/// where cutting it into files of its own cost each job about a dozen files written, read back and deleted.
/// </summary>
public static class WavSplitter
{
    /// <summary>The whole audio cut at <paramref name="cutSeconds"/> into consecutive slices.</summary>
    public static IReadOnlyList<WavSlice> Split(WavInfo info, IReadOnlyList<double> cutSeconds)
    {
        var boundaries = cutSeconds.Prepend(0).Append(double.PositiveInfinity).ToArray();
        return Cut(info, [.. boundaries.Zip(boundaries.Skip(1))]);
    }

    /// <summary>One slice per range (seconds; an end past the audio stops at its end).</summary>
    public static IReadOnlyList<WavSlice> Cut(WavInfo info, IReadOnlyList<(double Start, double End)> ranges) =>
        [.. ranges.Select(range =>
        {
            var start = Offset(info, range.Start);
            var length = Math.Max(0, Offset(info, range.End) - start);
            return new WavSlice(info.DataOffset + start, length, info.CanonicalHeader(length));
        })];

    /// <summary>The byte offset of a time within the samples, on a whole sample frame and never past the end.</summary>
    private static long Offset(WavInfo info, double seconds) =>
        double.IsPositiveInfinity(seconds) ? info.DataLength : Math.Min(info.DataLength, (long)(Math.Max(0, seconds) * info.SampleRate) * info.BlockAlign);
}

/// <summary>
/// <paramref name="Length"/> bytes of samples at <paramref name="Offset"/> in a WAV file, as a WAV of their own: the
/// <paramref name="Header"/> for that length, then the bytes.
/// </summary>
public sealed record WavSlice(long Offset, long Length, byte[] Header)
{
    /// <summary>The slice of <paramref name="path"/> as a WAV, read from the file as it is read.</summary>
    public Stream Open(string path) => new WavSliceStream(this, File.OpenHandle(path, options: FileOptions.Asynchronous));
}

/// <summary>
/// A <see cref="WavSlice"/> as a stream: its header, then its bytes straight from the file. Written by hand because
/// .NET has no stream over a range of a file behind other bytes; copying each slice into an array instead put a
/// large-object allocation (a turn is about 100 KB) behind every upload. Seekable, so an upload can be sent again.
/// </summary>
internal sealed class WavSliceStream(WavSlice slice, SafeFileHandle file) : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => slice.Header.Length + slice.Length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (FromHeader(buffer) is var header and > 0)
        {
            return header;
        }
        var read = RandomAccess.Read(file, buffer[..FromFileCount(buffer.Length)], FileOffset);
        return Advance(read);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (FromHeader(buffer.Span) is var header and > 0)
        {
            return header;
        }
        var read = await RandomAccess.ReadAsync(file, buffer[..FromFileCount(buffer.Length)], FileOffset, cancellationToken);
        return Advance(read);
    }

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        _ => Length + offset,
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            file.Dispose();
        }
        base.Dispose(disposing);
    }

    private long FileOffset => slice.Offset + _position - slice.Header.Length;

    /// <summary>Copies what is left of the header, if any; the count copied.</summary>
    private int FromHeader(Span<byte> buffer)
    {
        if (_position >= slice.Header.Length)
        {
            return 0;
        }
        var count = Math.Min(buffer.Length, slice.Header.Length - (int)_position);
        slice.Header.AsSpan((int)_position, count).CopyTo(buffer);
        _position += count;
        return count;
    }

    private int FromFileCount(int bufferLength) => (int)Math.Clamp(Length - _position, 0, bufferLength);

    private int Advance(int read)
    {
        if (read == 0 && _position < Length)
        {
            throw new EndOfStreamException($"The WAV ends {Length - _position} bytes before the slice does.");
        }
        _position += read;
        return read;
    }
}
