using PhoneNumbers;

namespace CallPipeline.Voice.Calls;

/// <summary>Called numbers to E.164 with libphonenumber, the form stored in <c>businesses.phone_e164</c>.</summary>
public static class PhoneNumberNormalizer
{
    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    /// <summary>
    /// The E.164 form of <paramref name="number"/>, reading national formats in <paramref name="defaultRegion"/>;
    /// null for what is not a phone number (<c>client:alice</c>, <c>sip:…</c>, empty).
    /// </summary>
    public static string? ToE164(string? number, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(number) || number.Contains(':', StringComparison.Ordinal))
        {
            return null;
        }
        try
        {
            var parsed = Util.Parse(number.Trim(), defaultRegion.ToUpperInvariant());
            return Util.Format(parsed, PhoneNumberFormat.E164);
        }
        catch (NumberParseException)
        {
            return null;
        }
    }
}
