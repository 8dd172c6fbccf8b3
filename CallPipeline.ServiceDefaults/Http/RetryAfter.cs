using System.Globalization;
using System.Net.Http.Headers;

namespace CallPipeline.ServiceDefaults.Http;

/// <summary>
/// Retry-After as delta-seconds or an HTTP date (RFC 9110 10.2.3), as a wait from now. .NET parses the header but
/// leaves the choice between its two forms, and the clock, to the caller; the webhook dispatcher and the recording
/// downloader both need the same answer.
/// </summary>
public static class RetryAfter
{
    /// <returns>The wait <paramref name="header"/> asks for, never negative; null without one.</returns>
    public static TimeSpan? Parse(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta < TimeSpan.Zero ? TimeSpan.Zero : delta;
        }
        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait < TimeSpan.Zero ? TimeSpan.Zero : wait;
        }
        return null;
    }

    /// <summary>The same rules for a raw header value.</summary>
    public static TimeSpan? Parse(string? value, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }
        if (long.TryParse(value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            return TimeSpan.FromSeconds(Math.Min(seconds, (long)TimeSpan.MaxValue.TotalSeconds - 1));
        }
        return RetryConditionHeaderValue.TryParse(value, out var parsed) ? Parse(parsed, now) : null;
    }
}
