namespace CallPipeline.DevDoubles.Simulator.MediaStreams;

/// <summary>
/// What the caller's side of the line carries, frame by frame: silence while the greeting plays (or until the caller
/// loses patience), then the speech, then a little silence, then the caller hangs up.
/// </summary>
public sealed class CallerScript(byte[] speech, int patienceFrames, int trailingFrames)
{
    public const int FrameBytes = 160;
    private const byte Silence = 0xFF;

    private int _waitedFrames;
    private int _speechOffset;
    private int _trailingLeft = trailingFrames;
    private bool _speaking;

    public bool IsFinished => _speaking && _speechOffset >= speech.Length && _trailingLeft <= 0;

    /// <summary>Fills the next 20 ms of caller audio; <paramref name="greetingHeard"/> tells whether the gateway's greeting has played out.</summary>
    public void Next(Span<byte> frame, bool greetingHeard)
    {
        if (!_speaking)
        {
            _waitedFrames++;
            _speaking = greetingHeard || _waitedFrames >= patienceFrames;
            frame.Fill(Silence);
            return;
        }
        if (_speechOffset < speech.Length)
        {
            var take = Math.Min(frame.Length, speech.Length - _speechOffset);
            speech.AsSpan(_speechOffset, take).CopyTo(frame);
            frame[take..].Fill(Silence);
            _speechOffset += take;
            return;
        }
        _trailingLeft--;
        frame.Fill(Silence);
    }
}
