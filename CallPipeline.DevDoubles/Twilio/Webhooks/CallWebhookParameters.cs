using System.Globalization;
using CallPipeline.DevDoubles.Twilio.Calls;

namespace CallPipeline.DevDoubles.Twilio.Webhooks;

/// <summary>
/// The form parameters Twilio sends about a call (twilio.md §4.2): on the TwiML request and on every status callback.
/// Geographic fields are present with the country Twilio derives from the number and empty city/state/zip, as for
/// mobile numbers.
/// </summary>
public static class CallWebhookParameters
{
    public const string ApiVersion = "2010-04-01";

    public static List<KeyValuePair<string, string>> For(SimulatedCall call, string callStatus)
    {
        var parameters = new List<KeyValuePair<string, string>>
        {
            new("AccountSid", call.AccountSid),
            new("ApiVersion", ApiVersion),
            new("CallSid", call.CallSid),
            new("CallStatus", callStatus),
            new("Direction", call.Direction),
            new("From", call.From),
            new("To", call.To),
            new("Caller", call.From),
            new("Called", call.To),
        };
        AddPlace(parameters, "From", call.From);
        AddPlace(parameters, "To", call.To);
        AddPlace(parameters, "Caller", call.From);
        AddPlace(parameters, "Called", call.To);
        return parameters;
    }

    /// <summary>A call status callback: the call parameters plus Twilio's progress-event fields.</summary>
    public static List<KeyValuePair<string, string>> ForStatusCallback(SimulatedCall call, string callStatus, DateTimeOffset now)
    {
        var parameters = For(call, callStatus);
        parameters.Add(new("CallbackSource", "call-progress-events"));
        parameters.Add(new("SequenceNumber", call.NextSequenceNumber().ToString(CultureInfo.InvariantCulture)));
        parameters.Add(new("Timestamp", TwilioDates.Rfc2822(now)));
        if (CallStatuses.IsTerminal(callStatus))
        {
            var seconds = call.DurationSeconds ?? 0;
            parameters.Add(new("CallDuration", seconds.ToString(CultureInfo.InvariantCulture)));
            // Duration is billed minutes, rounded up.
            parameters.Add(new("Duration", ((seconds + 59) / 60).ToString(CultureInfo.InvariantCulture)));
            parameters.Add(new("SipResponseCode", SipResponseCode(callStatus)));
        }
        return parameters;
    }

    private static string SipResponseCode(string callStatus) => callStatus switch
    {
        CallStatuses.Busy => "486",
        CallStatuses.NoAnswer => "480",
        CallStatuses.Failed => "500",
        CallStatuses.Canceled => "487",
        _ => "200",
    };

    private static void AddPlace(List<KeyValuePair<string, string>> parameters, string prefix, string number)
    {
        parameters.Add(new($"{prefix}City", ""));
        parameters.Add(new($"{prefix}Country", CountryOf(number)));
        parameters.Add(new($"{prefix}State", ""));
        parameters.Add(new($"{prefix}Zip", ""));
    }

    private static string CountryOf(string number) => number switch
    {
        _ when number.StartsWith("+972", StringComparison.Ordinal) => "IL",
        _ when number.StartsWith("+44", StringComparison.Ordinal) => "GB",
        _ when number.StartsWith("+1", StringComparison.Ordinal) => "US",
        _ => "",
    };
}
