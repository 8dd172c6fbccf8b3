using PhoneNumbers;

namespace CallPipeline.Voice.Calls;

/// <summary>Numbers to E.164 with libphonenumber, the form stored in <c>businesses.phone_e164</c> and <c>additional_phone_numbers</c>.</summary>
public static class PhoneNumberNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The E.164 form of <paramref name="number"/>, reading national formats in <paramref name="defaultRegion"/>;
    /// null for what is not a phone number (<c>client:alice</c>, <c>sip:…</c>, empty).
    /// </summary>
    public static string? ToE164(string? number, string defaultRegion) =>
        Parse(number, defaultRegion) is { } parsed ? Util.Format(parsed, PhoneNumberFormat.E164) : null;

    /// <summary>
    /// The E.164 form of a number a business is given: it must be a valid number (a range its country's plan assigns,
    /// not just digits that parse), read in <paramref name="defaultRegion"/> when written without a country code.
    /// </summary>
    public static string? ToValidE164(string? number, string defaultRegion) =>
        Parse(number, defaultRegion) is { } parsed && Util.IsValidNumber(parsed) ? Util.Format(parsed, PhoneNumberFormat.E164) : null;

    /// <summary>Whether libphonenumber knows <paramref name="region"/> (ISO 3166-1 alpha-2, upper case).</summary>
    public static bool IsSupportedRegion(string? region) => region is not null && Util.GetSupportedRegions().Contains(region);

    private static PhoneNumber? Parse(string? number, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            return Util.Parse(number.Trim(), defaultRegion.ToUpperInvariant());
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
