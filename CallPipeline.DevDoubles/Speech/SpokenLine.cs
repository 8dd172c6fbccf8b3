namespace CallPipeline.DevDoubles.Speech;

/// <summary>
/// One utterance as a recording holds it: the channel it is on (1 the caller, 2 the line), where it starts and ends in
/// seconds from the recording's start, and its words.
/// </summary>
public sealed record SpokenLine(int Channel, double Start, double End, string Text)
{
    public double Middle => (Start + End) / 2;
}
