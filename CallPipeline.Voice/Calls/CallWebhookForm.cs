using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace CallPipeline.Voice.Calls;

/// <summary>The fields of Twilio's voice webhooks (incoming call and call status callbacks) the gateway uses.</summary>
public sealed record CallWebhookForm(
    string CallSid,
    string? AccountSid,
    string? From,
    string? To,
    string? Direction,
    string? CallStatus,
    string? ParentCallSid,
    int? SequenceNumber,
    int? CallDuration,
    DateTimeOffset? Timestamp)
{
    public static CallWebhookForm? Parse(IFormCollection form)
    {
        var callSid = Value(form["CallSid"]);
        if (callSid is null || callSid.Length > 64)
        {
            return null;
        }
        return new CallWebhookForm(
            callSid,
            Value(form["AccountSid"]),
            Value(form["From"]),
            Value(form["To"]),
            Value(form["Direction"]),
            Value(form["CallStatus"])?.ToLowerInvariant(),
            Value(form["ParentCallSid"]),
            Integer(form["SequenceNumber"]),
            Integer(form["CallDuration"]),
            TwilioTimestamp(form["Timestamp"]));
    }

    internal static string? Value(StringValues values) => string.IsNullOrWhiteSpace(values.ToString()) ? null : values[0]?.Trim();

    internal static int? Integer(StringValues values) =>
        int.TryParse(Value(values), NumberStyles.Integer, CultureInfo.InvariantCulture, out var number) ? number : null;

    /// <summary>Twilio sends RFC 2822 dates ("Fri, 14 Oct 2016 21:56:34 +0000").</summary>
    internal static DateTimeOffset? TwilioTimestamp(StringValues values) =>
        DateTimeOffset.TryParse(Value(values), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var timestamp) ? timestamp.ToUniversalTime() : null;
}
