namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>Twilio's Direction values for the calls the double carries.</summary>
public static class TwilioDirections
{
    public const string Inbound = "inbound";
    public const string OutboundApi = "outbound-api";
}
