using System.Globalization;

namespace CallPipeline.DevDoubles.Twilio.Calls;

/// <summary>Twilio's call resource as JSON, snake_case through <see cref="TwilioJson"/>.</summary>
public sealed record CallResource(
    string Sid,
    string AccountSid,
    string ApiVersion,
    string DateCreated,
    string DateUpdated,
    string? ParentCallSid,
    string To,
    string ToFormatted,
    string From,
    string FromFormatted,
    string? PhoneNumberSid,
    string Status,
    string? StartTime,
    string? EndTime,
    string? Duration,
    string? Price,
    string PriceUnit,
    string Direction,
    string? AnsweredBy,
    string? ForwardedFrom,
    string? CallerName,
    string QueueTime,
    string Uri,
    IReadOnlyDictionary<string, string> SubresourceUris)
{
    public static CallResource Of(SimulatedCall call, DateTimeOffset now)
    {
        var uri = $"/2010-04-01/Accounts/{call.AccountSid}/Calls/{call.CallSid}";
        return new CallResource(
            call.CallSid,
            call.AccountSid,
            "2010-04-01",
            TwilioDates.Rfc2822(call.CreatedAt),
            TwilioDates.Rfc2822(now),
            null,
            call.To,
            call.To,
            call.From,
            call.From,
            null,
            call.Status,
            TwilioDates.Rfc2822(call.AnsweredAt),
            TwilioDates.Rfc2822(call.EndedAt),
            call.DurationSeconds?.ToString(CultureInfo.InvariantCulture),
            null,
            "USD",
            call.Direction,
            null,
            null,
            null,
            "0",
            uri + ".json",
            new Dictionary<string, string>
            {
                ["recordings"] = uri + "/Recordings.json",
                ["notifications"] = uri + "/Notifications.json",
            });
    }
}
