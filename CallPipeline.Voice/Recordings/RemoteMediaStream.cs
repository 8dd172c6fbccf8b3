using System.Net;
using System.Net.Http.Headers;
using CallPipeline.Twilio.Rest;

namespace CallPipeline.Voice.Recordings;

/// <summary>
/// Recording media at Twilio as a read-only, seekable stream of known length, read a range at a time: ASP.NET Core's
/// range processing (<c>TypedResults.Stream(…, enableRangeProcessing: true)</c>) seeks to the range the player asked for
/// and this opens <c>GET</c> with <c>Range: bytes={position}-</c> there, so playback starts at once and a seek near the
/// end does not fetch the whole recording. Written by hand: HttpClient's response streams only read forwards, and no
/// library in the stack gives a seekable stream over HTTP ranges. A server that ignores Range (answers 200) is read from
/// the start and the bytes before the position are skipped.
/// </summary>
internal sealed class RemoteMediaStream : Stream
{
    private readonly TwilioMediaClient _media;
    private readonly Uri _url;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _bodyPosition;
    private long _position;

    /// <param name="first">The answer to <c>Range: bytes=0-</c> (206, or 200 from a server without ranges), positioned at byte 0; owned from here.</param>
    private RemoteMediaStream(TwilioMediaClient media, Uri url, HttpResponseMessage first, Stream body, long length)
    {
        _media = media;
        _url = url;
        _response = first;
        _body = body;
        Length = length;
    }

    public override long Length { get; }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    /// <returns>The stream, or null when the answer says nothing of the media's length (then it cannot be ranged).</returns>
    public static async Task<RemoteMediaStream?> OpenAsync(TwilioMediaClient media, Uri url, HttpResponseMessage first, CancellationToken cancellationToken)
    {
        var length = first.StatusCode == HttpStatusCode.PartialContent ? first.Content.Headers.ContentRange?.Length : first.Content.Headers.ContentLength;
        if (length is null)
        {
            return null;
        }
        return new RemoteMediaStream(media, url, first, await first.Content.ReadAsStreamAsync(cancellationToken), length.Value);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= Length || buffer.IsEmpty)
        {
            return 0;
        }
        if (_body is null || _bodyPosition != _position)
        {
            await ReopenAsync(cancellationToken);
        }
        var read = await _body!.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Length - _position)], cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The recording media ended at byte {_position} of {Length}.");
        }
        _position += read;
        _bodyPosition += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Kestrel refuses synchronous I/O, and ASP.NET Core's range processing copies asynchronously.</summary>
    public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException("Read the recording asynchronously.");

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

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }
        base.Dispose(disposing);
    }

    private async Task ReopenAsync(CancellationToken cancellationToken)
    {
        CloseBody();
        _response = await _media.GetAsync(_url, new RangeHeaderValue(_position, null), cancellationToken);
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken);
        switch (_response.StatusCode)
        {
            case HttpStatusCode.PartialContent when _response.Content.Headers.ContentRange?.From is { } from:
                _bodyPosition = from;
                break;
            case HttpStatusCode.OK:
                _bodyPosition = 0;
                break;
            default:
                throw new IOException($"Twilio answered HTTP {(int)_response.StatusCode} for the recording's bytes from {_position}.");
        }
        // A server without ranges starts over: skip to the position.
        var skip = new byte[81920];
        while (_bodyPosition < _position)
        {
            var read = await _body.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, _position - _bodyPosition)), cancellationToken);
            if (read == 0)
            {
                throw new IOException($"The recording media ended at byte {_bodyPosition} of {Length}.");
            }
            _bodyPosition += read;
        }
    }

    private void CloseBody()
    {
        _body?.Dispose();
        _response?.Dispose();
        _body = null;
        _response = null;
    }
}
