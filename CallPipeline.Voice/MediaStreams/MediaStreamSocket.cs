using System.Buffers;
using System.Net.WebSockets;
using System.Runtime.CompilerServices;

namespace CallPipeline.Voice.MediaStreams;

/// <summary>
/// The WebSocket framing of one media stream: whole messages in, text messages out (one sender at a time), and the
/// close handshake. Messages are read into a buffer the socket owns; larger ones borrow a pooled buffer.
/// </summary>
public sealed class MediaStreamSocket(WebSocket socket, int maxMessageBytes)
{
    /// <summary>Room for any message Twilio sends in a call (a media message is about 400 bytes); larger ones borrow a pooled buffer.</summary>
    private const int ReceiveBufferBytes = 2048;
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly byte[] _receiveBuffer = new byte[ReceiveBufferBytes];

    public int MaxMessageBytes => maxMessageBytes;

    public WebSocketState State => socket.State;

    /// <summary>
    /// One whole message, or as much as fits in <see cref="MaxMessageBytes"/> (complete is then false). Give its buffer
    /// back with <see cref="Return"/> once it is read. Awaited once per frame and nearly always suspended (the next frame
    /// is not there yet), so its state machine comes from a pool: without it each frame allocated one (184 bytes).
    /// </summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<(WebSocketMessageType Type, byte[] Buffer, int Count, bool Complete)> ReceiveAsync(CancellationToken cancellationToken)
    {
        var buffer = _receiveBuffer;
        var limit = Math.Min(buffer.Length, maxMessageBytes);
        var count = 0;
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer.AsMemory(count, limit - count), cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                Return(buffer);
                return (result.MessageType, _receiveBuffer, 0, true);
            }
            count += result.Count;
            if (result.EndOfMessage)
            {
                return (result.MessageType, buffer, count, true);
            }
            if (count == limit)
            {
                if (limit == maxMessageBytes)
                {
                    return (result.MessageType, buffer, count, false);
                }
                var larger = ArrayPool<byte>.Shared.Rent(Math.Min(maxMessageBytes, limit * 4));
                buffer.AsSpan(0, count).CopyTo(larger);
                Return(buffer);
                buffer = larger;
                limit = Math.Min(larger.Length, maxMessageBytes);
            }
        }
    }

    /// <summary>Gives back a message's buffer when it was borrowed from the pool.</summary>
    public void Return(byte[] buffer)
    {
        if (!ReferenceEquals(buffer, _receiveBuffer))
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Sends one text message; false when the socket is no longer open.</summary>
    public async Task<bool> SendAsync(byte[] message, CancellationToken cancellationToken)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            if (socket.State != WebSocketState.Open)
            {
                return false;
            }
            await socket.SendAsync(message, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
            return true;
        }
        catch (WebSocketException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Sends our close frame if the socket still allows it; false when it was already closed or aborted, which is
    /// left alone.
    /// </summary>
    public async Task<bool> CloseAsync(WebSocketCloseStatus status, string description)
    {
        await _sendLock.WaitAsync();
        try
        {
            if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return false;
            }
            using var timeout = new CancellationTokenSource(CloseTimeout);
            await socket.CloseOutputAsync(status, description, timeout.Token);
            return true;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>
    /// Our close, then the peer's: reads (and drops) what still arrives until its close frame, for at most the close
    /// timeout; false when the socket was already closed or the peer did not answer. Ending the request straight after
    /// our close would close the connection under unread data, and the reset that follows can reach the peer before
    /// our close frame does. Called from the receive loop only.
    /// </summary>
    public async Task<bool> CloseAndAwaitPeerAsync(WebSocketCloseStatus status, string description)
    {
        var closed = await CloseAsync(status, description);
        using var timeout = new CancellationTokenSource(CloseTimeout);
        try
        {
            while (socket.State == WebSocketState.CloseSent)
            {
                var result = await socket.ReceiveAsync(_receiveBuffer.AsMemory(), timeout.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }
            }
            return closed;
        }
        catch (Exception exception) when (exception is WebSocketException or OperationCanceledException)
        {
            return false;
        }
    }

    /// <summary>
    /// Our close while a receive is pending elsewhere; a peer that does not answer within the close timeout is cut off,
    /// and the pending receive then ends with an exception. False when the socket was already closed.
    /// </summary>
    public async Task<bool> CloseOrAbortAsync(WebSocketCloseStatus status, string description)
    {
        var closed = await CloseAsync(status, description);
        await Task.Delay(CloseTimeout);
        if (socket.State != WebSocketState.Closed)
        {
            socket.Abort();
        }
        return closed;
    }
}
