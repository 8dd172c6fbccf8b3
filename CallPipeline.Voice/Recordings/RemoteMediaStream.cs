using System.Net;
using System.Net.Http.Headers;
using CallPipeline.Data.StoredRecordings;
using CallPipeline.Twilio.Rest;

namespace CallPipeline.Voice.Recordings;

/// <summary>
/// Recording media at Twilio read a range at a time: ASP.NET Core's range processing
/// (<c>TypedResults.Stream(…, enableRangeProcessing: true)</c>) seeks to the range the player asked for and this opens
/// <c>GET</c> with <c>Range: bytes={position}-</c> there, so playback starts at once and a seek near the end does not
/// fetch the whole recording. Written by hand: HttpClient's response streams only read forwards, and no library in the
/// stack gives a seekable stream over HTTP ranges. A server that ignores Range (answers 200) is read from the start and
/// the bytes before the position are skipped.
/// </summary>
internal sealed class RemoteMediaStream : SeekableReadStream
{
    private readonly TwilioMediaClient _media;
    private readonly Uri _url;
    private HttpResponseMessage? _response;
    private Stream? _body;
    private long _bodyPosition;

    /// <param name="first">The answer to <c>Range: bytes=0-</c> (206, or 200 from a server without ranges), at byte 0; owned from here.</param>
    private RemoteMediaStream(TwilioMediaClient media, Uri url, HttpResponseMessage first, Stream body, long length)
    {
        _media = media;
        _url = url;
        _response = first;
        _body = body;
        Length = length;
    }

    public override long Length { get; }

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

    protected override async ValueTask<int> ReadAtAsync(long position, Memory<byte> buffer, CancellationToken cancellationToken)
    {
        if (_body is null || _bodyPosition != position)
        {
            await ReopenAsync(position, cancellationToken);
        }
        var read = await _body!.ReadAsync(buffer, cancellationToken);
        _bodyPosition += read;
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            CloseBody();
        }
        base.Dispose(disposing);
    }

    private async Task ReopenAsync(long position, CancellationToken cancellationToken)
    {
        CloseBody();
        _response = await _media.GetAsync(_url, new RangeHeaderValue(position, null), cancellationToken);
        _body = await _response.Content.ReadAsStreamAsync(cancellationToken);
        _bodyPosition = _response.StatusCode switch
        {
            HttpStatusCode.PartialContent when _response.Content.Headers.ContentRange?.From is { } from => from,
            HttpStatusCode.OK => 0,
            _ => throw new IOException($"Twilio answered HTTP {(int)_response.StatusCode} for the recording's bytes from {position}."),
        };
        // A server without ranges starts over: skip to the position.
        var skip = new byte[81920];
        while (_bodyPosition < position)
        {
            var read = await _body.ReadAsync(skip.AsMemory(0, (int)Math.Min(skip.Length, position - _bodyPosition)), cancellationToken);
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
