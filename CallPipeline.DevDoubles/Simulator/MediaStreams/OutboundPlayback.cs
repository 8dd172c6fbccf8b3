namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>
/// Twilio's buffer for audio the gateway sends back: media is queued and played in order, 20 ms per frame; a mark is
/// echoed when the audio queued before it has played (at once if nothing is queued); clear drops the queue and echoes
/// every pending mark.
/// </summary>
public sealed class OutboundPlayback
{
    private const byte Silence = 0xFF;

    private readonly Lock _gate = new();
    private readonly Queue<byte[]> _chunks = new();
    private readonly List<(long Position, string Name)> _pendingMarks = [];
    private int _offsetInHead;
    private long _queued;
    private long _played;

    public bool HasPlayedAudio
    {
        get
        {
            lock (_gate)
            {
                return _played > 0;
            }
        }
    }

    public bool IsIdle
    {
        get
        {
            lock (_gate)
            {
                return _played == _queued;
            }
        }
    }

    public void Enqueue(byte[] muLaw)
    {
        if (muLaw.Length == 0)
        {
            return;
        }
        lock (_gate)
        {
            _chunks.Enqueue(muLaw);
            _queued += muLaw.Length;
        }
    }

    /// <summary>Queues a mark; true when it is due at once because nothing is buffered.</summary>
    public bool AddMark(string name)
    {
        lock (_gate)
        {
            if (_played == _queued)
            {
                return true;
            }
            _pendingMarks.Add((_queued, name));
            return false;
        }
    }

    /// <summary>Empties the buffer; returns the marks to echo now.</summary>
    public IReadOnlyList<string> Clear()
    {
        lock (_gate)
        {
            _chunks.Clear();
            _offsetInHead = 0;
            _played = _queued;
            var marks = _pendingMarks.Select(m => m.Name).ToList();
            _pendingMarks.Clear();
            return marks;
        }
    }

    /// <summary>Plays one frame into <paramref name="frame"/> (silence where nothing is queued); returns the marks now reached.</summary>
    public IReadOnlyList<string> Play(Span<byte> frame)
    {
        lock (_gate)
        {
            var filled = 0;
            while (filled < frame.Length && _chunks.TryPeek(out var head))
            {
                var take = Math.Min(frame.Length - filled, head.Length - _offsetInHead);
                head.AsSpan(_offsetInHead, take).CopyTo(frame[filled..]);
                filled += take;
                _offsetInHead += take;
                if (_offsetInHead == head.Length)
                {
                    _chunks.Dequeue();
                    _offsetInHead = 0;
                }
            }
            frame[filled..].Fill(Silence);
            _played += filled;
            if (_pendingMarks.Count == 0)
            {
                return [];
            }
            var reached = _pendingMarks.Where(m => m.Position <= _played).Select(m => m.Name).ToList();
            _pendingMarks.RemoveAll(m => m.Position <= _played);
            return reached;
        }
    }
}
