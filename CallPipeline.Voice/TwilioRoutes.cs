namespace CallPipeline.Voice;

/// <summary>
/// Every path Twilio calls on the gateway, in one place: the API maps them, and the code that hands them to Twilio (the
/// TwiML's stream URL, the recording's status callback, the Url of calls we place) reads them here. The paths are
/// contracts: they are configured on phone numbers and in Twilio's console.
/// </summary>
public static class TwilioRoutes
{
    public const string Prefix = "/twilio";

    /// <summary>Where Twilio asks for TwiML: the phone number's voice URL, and the Url of calls we place.</summary>
    public const string IncomingCall = Prefix + "/voice/incoming";

    public const string CallStatus = Prefix + "/voice/status";

    public const string RecordingStatus = Prefix + "/recording/status";

    /// <summary>The Media Streams WebSocket of one call; the last segment is the call's stream token.</summary>
    public const string MediaStreamPrefix = Prefix + "/media/";

    public const string MediaStream = MediaStreamPrefix + "{token}";
}
