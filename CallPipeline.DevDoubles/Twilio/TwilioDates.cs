using System.Globalization;

namespace CallPipeline.DevDoubles.Twilio;

/// <summary>Twilio writes dates in resources and callbacks as RFC 2822 strings in UTC, e.g. "Fri, 14 Oct 2016 21:56:34 +0000".</summary>
public static class TwilioDates
{
    public static string Rfc2822(DateTimeOffset value) =>
        value.ToUniversalTime().ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);

    public static string? Rfc2822(DateTimeOffset? value) => value is { } v ? Rfc2822(v) : null;
}
