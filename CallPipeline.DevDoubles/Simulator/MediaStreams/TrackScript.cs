namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>
/// What one side of the line carries, frame by frame: each utterance once it is due (at its frame, or for the caller
/// of an unscripted call once the greeting has played or patience ran out), after the one before it has finished;
/// silence in between; then the keypad digits (one every 200 ms); then a little silence, and this side is done. It
/// notes where each utterance actually went out, which is where the recording holds it.
/// </summary>
public sealed class TrackScript(IReadOnlyList<Utterance> utterances, string digits, int patienceFrames, int trailingFrames)
{
    public const int FrameBytes = 160;
    private const byte Silence = 0xFF;
    private const int FramesPerDigit = 10;

    private readonly List<PlayedUtterance> _played = [];
    private int _next;
    private int _offset = -1;
    private int _waitedFrames;
    private int _digitFrames;
    private int _trailingLeft = trailingFrames;

    public IReadOnlyList<PlayedUtterance> Played => _played;

    public bool IsFinished => _next >= utterances.Count && _digitFrames >= digits.Length * FramesPerDigit && _trailingLeft <= 0;

    /// <summary>
    /// Fills the frame numbered <paramref name="frameIndex"/>; <paramref name="greetingHeard"/> tells whether the
    /// gateway's greeting has played out. Returns the keypad digit pressed in this frame, if any.
    /// </summary>
    public char? Next(Span<byte> frame, long frameIndex, bool greetingHeard)
    {
        if (_offset < 0 && _next < utterances.Count && IsDue(utterances[_next], frameIndex, greetingHeard))
        {
            _offset = 0;
            _played.Add(new PlayedUtterance(utterances[_next].Text, frameIndex, frameIndex));
        }
        if (_offset >= 0)
        {
            var speech = utterances[_next].MuLaw;
            var take = Math.Min(frame.Length, speech.Length - _offset);
            speech.AsSpan(_offset, take).CopyTo(frame);
            frame[take..].Fill(Silence);
            _offset += take;
            if (_offset >= speech.Length)
            {
                _played[^1] = _played[^1] with { EndFrame = frameIndex + 1 };
                _offset = -1;
                _next++;
            }
            return null;
        }
        frame.Fill(Silence);
        if (_next < utterances.Count)
        {
            _waitedFrames++;
            return null;
        }
        if (_digitFrames < digits.Length * FramesPerDigit)
        {
            var frameOfDigits = _digitFrames++;
            return frameOfDigits % FramesPerDigit == 0 ? digits[frameOfDigits / FramesPerDigit] : null;
        }
        _trailingLeft--;
        return null;
    }

    private bool IsDue(Utterance utterance, long frameIndex, bool greetingHeard) =>
        utterance.AtFrame is { } at ? frameIndex >= at : greetingHeard || _waitedFrames >= patienceFrames;
}
