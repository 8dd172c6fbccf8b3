namespace CallPipeline.Data.Entities;

/// <summary>Who speaks in a transcript turn.</summary>
public enum SpeakerRole
{
    /// <summary>A one-channel recording: the speakers are mixed and cannot be told apart.</summary>
    Unknown,

    /// <summary>The customer on the far end of the call, whichever side dialled (Twilio's inbound track, channel 1).</summary>
    Caller,

    /// <summary>The business's side: what the voice gateway played to the customer (Twilio's outbound track, channel 2).</summary>
    Line,
}
