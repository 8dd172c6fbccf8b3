namespace CallPipeline.Twilio.MediaStreams;

/// <summary>
/// A <c>media</c> message read in place by <see cref="MediaStreamSerializer.TryReadMedia"/>: its mu-law bytes went to
/// the caller's buffer, so nothing is allocated per 20 ms frame.
/// </summary>
/// <param name="Track"><c>inbound</c> (the caller), <c>outbound</c>, or null when the message names none.</param>
/// <param name="Timestamp">Milliseconds from the stream's start, when given.</param>
/// <param name="PayloadLength">How many mu-law bytes were decoded into the buffer.</param>
public readonly record struct MediaFrame(MediaTrack Track, long? Timestamp, int PayloadLength);

public enum MediaTrack
{
    Unnamed,
    Inbound,
    Other,
}
