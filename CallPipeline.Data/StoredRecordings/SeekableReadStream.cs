namespace CallPipeline.Data.StoredRecordings;

/// <summary>
/// A read-only stream of known length that reads asynchronously from wherever it is positioned: what ASP.NET Core's
/// range processing needs to serve byte ranges of media kept elsewhere (Twilio's, or a recording stored in Postgres).
/// A subclass reads at <see cref="Stream.Position"/>; seeking only moves the position.
/// </summary>
public abstract class SeekableReadStream : Stream
{
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }
        var read = await ReadAtAsync(_position, buffer[..(int)Math.Min(buffer.Length, Length - _position)], cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The media ended at byte {_position} of {Length}.");
        }
        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Kestrel refuses synchronous I/O, and ASP.NET Core's range processing copies asynchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the media asynchronously.");

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => Length + offset,
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        _position = target;
        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Reads up to <paramref name="buffer"/>'s length (never past the end) from <paramref name="position"/>.</summary>
    /// <returns>The bytes read; more than zero.</returns>
    protected abstract ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken);
}
