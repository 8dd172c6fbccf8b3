using CallPipeline.Data.Entities;

namespace CallPipeline.Voice.Calls;

public static class CallDirections
{
    /// <summary>
    /// Twilio's direction as the business sees it. Outbound-api and outbound-dial are both calls the business placed
    /// (the original system mapped neither and logged duplicate, misdirected calls); SIP trunk termination is outbound too.
    /// </summary>
    public static CallDirection Normalize(string? twilioDirection) => twilioDirection?.Trim().ToLowerInvariant() switch
    {
        null or "" => CallDirection.Unknown,
        "inbound" or "trunking-originating" => CallDirection.Inbound,
        "outbound-api" or "outbound-dial" or "outbound" or "trunking-terminating" => CallDirection.Outbound,
        var other when other.StartsWith("inbound", StringComparison.Ordinal) => CallDirection.Inbound,
        var other when other.StartsWith("outbound", StringComparison.Ordinal) => CallDirection.Outbound,
        _ => CallDirection.Unknown,
    };
}
