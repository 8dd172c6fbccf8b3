using System.Diagnostics;
using System.Net.WebSockets;
using System.Text.Unicode;

namespace CallPipeline.Benchmarks.Gateway;

/// <summary>
/// One call's media messages, one 160-byte frame every 20 ms from the stream's start until its stop time, sent by a
/// <see cref="FrameClock"/>. Each wake-up sends every frame that fell due, so a late one catches up and the stream never
/// falls behind the call's clock; a send the socket cannot take at once holds the stream's next frames until it is done.
/// </summary>
public sealed class FrameStream(LevelRun run, WebSocket socket, string streamSid, string payload, int sequence, long stopAt, CancellationToken cancellationToken)
{
    private static readonly long FrameTicks = LoadGenerator.Ticks(TimeSpan.FromMilliseconds(20));

    private readonly byte[] _message = new byte[512];
    private readonly TaskCompletionSource _completion = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly long _start = Stopwatch.GetTimestamp();
    private int _sequence = sequence;
    private long _sent;
    private Task? _sending;

    public Task Completion => _completion.Task;

    /// <summary>Sends the frames due by now; true once the stream is done (its stop time came, or a send failed).</summary>
    public bool SendDue()
    {
        if (_sending is { } sending)
        {
            if (!sending.IsCompleted)
            {
                return false;
            }
            _sending = null;
            if (!sending.IsCompletedSuccessfully)
            {
                _completion.TrySetException(sending.Exception?.InnerExceptions ?? [new OperationCanceledException(cancellationToken)]);
                return true;
            }
        }
        var now = Stopwatch.GetTimestamp();
        if (now >= stopAt || cancellationToken.IsCancellationRequested)
        {
            _completion.TrySetResult();
            return true;
        }
        var due = ((now - _start) / FrameTicks) + 1;
        try
        {
            while (_sent < due)
            {
                Utf8.TryWrite(_message, $$$"""{"event":"media","sequenceNumber":"{{{_sequence++}}}","media":{"track":"inbound","chunk":"{{{_sent + 1}}}","timestamp":"{{{_sent * 20}}}","payload":"{{{payload}}}"},"streamSid":"{{{streamSid}}}"}""", out var length);
                run.GeneratorLateness.Record(Stopwatch.GetElapsedTime(_start + (_sent * FrameTicks)).TotalMilliseconds);
                var send = socket.SendAsync(_message.AsMemory(0, length), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
                _sent++;
                run.FrameSent();
                if (!send.IsCompleted)
                {
                    _sending = send.AsTask();
                    return false;
                }
                send.GetAwaiter().GetResult();
            }
        }
        catch (Exception exception)
        {
            _completion.TrySetException(exception);
            return true;
        }
        return false;
    }

    /// <summary>The clock stopped before the stream did.</summary>
    public void Cancel() => _completion.TrySetCanceled();
}
