using System.Buffers.Binary;
using System.Diagnostics;
using CallPipeline.Benchmarks.Measurement;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// The client's connection under its <see cref="System.Net.WebSockets.WebSocket"/>, watched for the PING frames the
/// WebSocket sends as keep-alive and the server's PONG answers, so each round trip is timed. .NET's WebSocket speaks
/// the protocol; it only does not say when a PONG came back, and the server answers a PING only while its receive loop
/// reads, which is what the round trip shows.
/// </summary>
public sealed class PingTimingStream(Stream inner, LagHistogram roundTrips) : Stream
{
    private const int PingOpcode = 0x9;
    private const int PongOpcode = 0xA;

    private readonly Dictionary<ulong, long> _pingsSent = [];
    private volatile bool _timing = true;
    private readonly byte[] _header = new byte[14];
    private readonly byte[] _pong = new byte[125];
    private int _headerLength;
    private int _headerNeeded = 2;
    private long _payloadRemaining;
    private bool _capturingPong;
    private int _pongLength;

    /// <summary>
    /// PINGs sent from now on are not timed: the call is over (its <c>stop</c> is next on the wire), and the gateway
    /// answers them only after the call's finalization, which is database work, not the stream's receive loop.
    /// </summary>
    public void StopTiming() => _timing = false;

    public override bool CanRead => true;

    public override bool CanWrite => true;

    public override bool CanSeek => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        ScanIncoming(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer, offset, count).GetAwaiter().GetResult();

    /// <summary>The WebSocket writes each frame whole, so a PING is recognised by its first bytes.</summary>
    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
    {
        NoteOutgoing(buffer.Span);
        return inner.WriteAsync(buffer, cancellationToken);
    }

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        WriteAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override void Write(byte[] buffer, int offset, int count) => WriteAsync(buffer, offset, count).GetAwaiter().GetResult();

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }
        base.Dispose(disposing);
    }

    private void NoteOutgoing(ReadOnlySpan<byte> frame)
    {
        // A client frame is masked: opcode, 0x80 | length (a control payload is at most 125), 4 mask bytes, payload.
        if (!_timing || frame.Length < 6 || (frame[0] & 0x0F) != PingOpcode)
        {
            return;
        }
        var length = frame[1] & 0x7F;
        var mask = frame.Slice(2, 4);
        Span<byte> payload = stackalloc byte[8];
        for (var i = 0; i < Math.Min(length, 8) && 6 + i < frame.Length; i++)
        {
            payload[i] = (byte)(frame[6 + i] ^ mask[i % 4]);
        }
        lock (_pingsSent)
        {
            _pingsSent[BinaryPrimitives.ReadUInt64LittleEndian(payload)] = Stopwatch.GetTimestamp();
        }
    }

    /// <summary>Follows the server's frames (unmasked) through whatever chunks the socket returns, picking out PONGs.</summary>
    private void ScanIncoming(ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty)
        {
            if (_payloadRemaining > 0)
            {
                var take = (int)Math.Min(_payloadRemaining, data.Length);
                if (_capturingPong)
                {
                    data[..take].CopyTo(_pong.AsSpan(_pongLength));
                    _pongLength += take;
                }
                _payloadRemaining -= take;
                data = data[take..];
                if (_payloadRemaining == 0 && _capturingPong)
                {
                    OnPong(_pong.AsSpan(0, _pongLength));
                }
                continue;
            }
            _header[_headerLength++] = data[0];
            data = data[1..];
            if (_headerLength == 2)
            {
                var shortLength = _header[1] & 0x7F;
                _headerNeeded = 2 + (shortLength == 126 ? 2 : shortLength == 127 ? 8 : 0) + ((_header[1] & 0x80) != 0 ? 4 : 0);
            }
            if (_headerLength < _headerNeeded)
            {
                continue;
            }
            var lengthField = _header[1] & 0x7F;
            long length = lengthField switch
            {
                126 => BinaryPrimitives.ReadUInt16BigEndian(_header.AsSpan(2)),
                127 => (long)BinaryPrimitives.ReadUInt64BigEndian(_header.AsSpan(2)),
                _ => lengthField,
            };
            _capturingPong = (_header[0] & 0x0F) == PongOpcode && length <= _pong.Length;
            _pongLength = 0;
            _payloadRemaining = length;
            _headerLength = 0;
            _headerNeeded = 2;
            if (length == 0 && _capturingPong)
            {
                OnPong([]);
            }
        }
    }

    private void OnPong(ReadOnlySpan<byte> payload)
    {
        // Unsolicited PONGs (the server's own keep-alive) match no PING and are not round trips.
        Span<byte> key = stackalloc byte[8];
        payload[..Math.Min(8, payload.Length)].CopyTo(key);
        long sentAt;
        lock (_pingsSent)
        {
            if (payload.Length != 8 || !_pingsSent.Remove(BinaryPrimitives.ReadUInt64LittleEndian(key), out sentAt))
            {
                return;
            }
        }
        roundTrips.Record(Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
    }
}
