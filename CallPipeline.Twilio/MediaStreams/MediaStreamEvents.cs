namespace CallPipeline.Twilio.MediaStreams;

/// <summary>The <c>event</c> values of Twilio Media Streams messages.</summary>
public static class MediaStreamEvents
{
    public const string Connected = "connected";
    public const string Start = "start";
    public const string Media = "media";
    public const string Mark = "mark";
    public const string Dtmf = "dtmf";
    public const string Stop = "stop";
    public const string Clear = "clear";
}
