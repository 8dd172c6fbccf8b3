namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>
/// What the caller's side of the line carries, frame by frame: silence while the greeting plays (or until the caller
/// loses patience), then the speech, then the keypad digits (one every 200 ms), then a little silence, then the
/// caller hangs up.
/// </summary>
public sealed class CallerScript(byte[] speech, string digits, int patienceFrames, int trailingFrames)
{
    public const int FrameBytes = 160;
    private const byte Silence = 0xFF;
    private const int FramesPerDigit = 10;

    private int _waitedFrames;
    private int _speechOffset;
    private int _digitFrames;
    private int _trailingLeft = trailingFrames;
    private bool _speaking;

    public bool IsFinished => _speaking && _speechOffset >= speech.Length && _digitFrames >= digits.Length * FramesPerDigit && _trailingLeft <= 0;

    /// <summary>
    /// Fills the next 20 ms of caller audio; <paramref name="greetingHeard"/> tells whether the gateway's greeting has
    /// played out. Returns the keypad digit pressed in this frame, if any.
    /// </summary>
    public char? Next(Span<byte> frame, bool greetingHeard)
    {
        if (!_speaking)
        {
            _waitedFrames++;
            _speaking = greetingHeard || _waitedFrames >= patienceFrames;
            frame.Fill(Silence);
            return null;
        }
        if (_speechOffset < speech.Length)
        {
            var take = Math.Min(frame.Length, speech.Length - _speechOffset);
            speech.AsSpan(_speechOffset, take).CopyTo(frame);
            frame[take..].Fill(Silence);
            _speechOffset += take;
            return null;
        }
        frame.Fill(Silence);
        if (_digitFrames < digits.Length * FramesPerDigit)
        {
            var frameOfDigits = _digitFrames++;
            return frameOfDigits % FramesPerDigit == 0 ? digits[frameOfDigits / FramesPerDigit] : null;
        }
        _trailingLeft--;
        return null;
    }
}
