namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>What went over one stream, for the simulator's call view; updated from the sending and the receiving side.</summary>
public sealed class MediaStreamCounters
{
    private long _framesSent;
    private long _mediaReceived;
    private long _marksReceived;
    private long _marksEchoed;
    private long _clears;

    public long FramesSent => Interlocked.Read(ref _framesSent);

    public long MediaReceived => Interlocked.Read(ref _mediaReceived);

    public long MarksReceived => Interlocked.Read(ref _marksReceived);

    public long MarksEchoed => Interlocked.Read(ref _marksEchoed);

    public long Clears => Interlocked.Read(ref _clears);

    public void FrameSent() => Interlocked.Increment(ref _framesSent);

    public void MediaArrived() => Interlocked.Increment(ref _mediaReceived);

    public void MarkArrived() => Interlocked.Increment(ref _marksReceived);

    public void MarkEchoed() => Interlocked.Increment(ref _marksEchoed);

    public void Cleared() => Interlocked.Increment(ref _clears);
}
